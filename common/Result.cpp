#include "common/Result.h"

namespace recoveryd {

const char* error_code_name(ErrorCode code) {
    switch (code) {
    case ErrorCode::InvalidArgument: return "InvalidArgument";
    case ErrorCode::AccessDenied: return "AccessDenied";
    case ErrorCode::NotFound: return "NotFound";
    case ErrorCode::WrongPassword: return "WrongPassword";
    case ErrorCode::Unavailable: return "Unavailable";
    case ErrorCode::Corrupt: return "Corrupt";
    case ErrorCode::Io: return "Io";
    case ErrorCode::Internal: return "Internal";
    }
    return "Internal";
}

}  // namespace recoveryd
