#pragma once
// pam_faillock's record of a user's failed logins, reset after a successful
// recovery (so the new password works at once) and by `recoveryctl unlock`,
// with the faillock tool pam_faillock ships, run directly: no shell, a clean
// environment, a time limit. The tool of Debian 12 (Linux-PAM 1.5.2) does
// not read /etc/security/faillock.conf, so the tally directory set there is
// read here and passed with --dir.

#include <chrono>
#include <filesystem>
#include <string>

#include "common/Result.h"

namespace recoveryd {

struct FaillockTool {
    std::filesystem::path program = "/usr/sbin/faillock";
    std::filesystem::path config = "/etc/security/faillock.conf";
    std::chrono::milliseconds timeout{10000};
};

// The `dir` that faillock.conf sets, read as pam_faillock reads it ('#'
// starts a comment, `dir = /path`); empty when the file or the key is
// missing, or the path is not absolute (pam_faillock's default then).
std::string faillock_tally_directory(const std::filesystem::path& config);

// Success also when pam_faillock is not installed (there is no tally to
// reset); Io with the tool's own message when it fails.
Result<void> reset_faillock_tally(const std::string& user, const FaillockTool& tool);

}  // namespace recoveryd
