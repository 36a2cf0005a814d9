#pragma once
// recoveryctl's exit codes (documented in docs/recoveryctl.md).

#include "common/Result.h"

namespace recoveryd::ctl {

enum ExitCode : int {
    kExitOk = 0,
    kExitFailure = 1,
    kExitUsage = 2,           // CLI11 uses 2 for bad command lines too
    kExitUnavailable = 3,     // recoveryd or the bus is not reachable
    kExitDenied = 4,          // access denied or wrong password
    kExitTampered = 5,        // audit --verify: the audit log has been tampered with
};

// Prints "recoveryctl: <message>" on stderr; returns the matching exit code.
int report_error(const Error& error);

}  // namespace recoveryd::ctl
