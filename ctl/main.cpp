// recoveryctl: manage your own account recovery methods; administrators
// answer requests for help, reset passwords, unlock accounts, read the audit
// log and manage the policy.
#include <variant>

#include "ctl/CommandLine.h"

int main(int argc, char** argv) {
    using namespace recoveryd::ctl;
    auto parsed = parse_command_line(argc, argv);
    if (const int* exit_code = std::get_if<int>(&parsed))
        return *exit_code;
    return run_command(std::get<CommandLine>(parsed));
}
