#pragma once
// recoveryctl's command line (CLI11), apart from main() so tests can parse.

#include <cstdint>
#include <optional>
#include <string>
#include <variant>

#include "ctl/AuditCommand.h"

namespace recoveryd::ctl {

enum class Command {
    Status, EnrollCodes, Forget,                                      // anyone (forget: root)
    Requests, Approve, Deny, ResetPassword, Unlock, Watch, Audit,  // administrators
    PolicyCheck, Reload,
};

struct CommandLine {
    Command command = Command::Status;
    bool json = false;       // status, requests
    bool all = false;        // requests
    std::string user;        // forget, reset-password, unlock
    std::string id;          // approve, deny
    std::string note;        // approve
    std::string reason;      // deny
    AuditOptions audit;      // audit
};

// The parsed command line; or, after --help or a command line it refuses
// (printed as CLI11 prints them), the exit status: 0 or kExitUsage.
std::variant<CommandLine, int> parse_command_line(int argc, const char* const* argv);

int run_command(const CommandLine& line);

}  // namespace recoveryd::ctl
