#include "ctl/ExitCode.h"

#include <cstdio>

namespace recoveryd::ctl {

int report_error(const Error& error) {
    std::fprintf(stderr, "recoveryctl: %s\n", error.message.c_str());
    switch (error.code) {
    case ErrorCode::Unavailable:
        return kExitUnavailable;
    case ErrorCode::AccessDenied:
    case ErrorCode::WrongPassword:
        return kExitDenied;
    case ErrorCode::InvalidArgument:
        return kExitUsage;
    default:
        return kExitFailure;
    }
}

}  // namespace recoveryd::ctl
