#pragma once
// pam_faillock's record of a user's failed logins, reset after a successful
// recovery (so the new password works at once) and by `recoveryctl unlock`,
// with the faillock tool pam_faillock ships (it knows where
// /etc/security/faillock.conf puts the tallies), run directly: no shell, a
// clean environment, a time limit.

#include <chrono>
#include <filesystem>
#include <string>

#include "common/Result.h"

namespace recoveryd {

struct FaillockTool {
    std::filesystem::path program = "/usr/sbin/faillock";
    std::chrono::milliseconds timeout{10000};
};

// Success also when pam_faillock is not installed (there is no tally to
// reset); Io with the tool's own message when it fails.
Result<void> reset_faillock_tally(const std::string& user, const FaillockTool& tool);

}  // namespace recoveryd
