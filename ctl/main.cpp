// recoveryctl: manage your own account recovery methods; administrators also
// forget a deleted user's.
#include <CLI/CLI.hpp>
#include <string>

#include "ctl/EnrollCommand.h"
#include "ctl/ExitCode.h"
#include "ctl/ForgetCommand.h"
#include "ctl/StatusCommand.h"

int main(int argc, char** argv) {
    using namespace recoveryd::ctl;
    CLI::App app{"Manage how you can recover your account if you forget your password."};
    app.require_subcommand(1);

    bool json = false;
    auto* status = app.add_subcommand("status", "Show the recovery methods you have enrolled");
    status->add_flag("--json", json, "Print JSON instead of text");

    auto* enroll = app.add_subcommand("enroll", "Enroll a recovery method");
    enroll->require_subcommand(1);
    auto* codes = enroll->add_subcommand("codes", "Replace your recovery codes with 10 new ones");

    std::string forget_user;
    auto* forget = app.add_subcommand(
        "forget", "Delete every recovery method enrolled under USER (root only; run by userdel's hook)");
    forget->add_option("USER", forget_user, "The user name, usually of an account being deleted")->required();

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        const int code = app.exit(e);
        return code == 0 ? kExitOk : kExitUsage;
    }
    if (status->parsed())
        return run_status(json);
    if (codes->parsed())
        return run_enroll_codes();
    if (forget->parsed())
        return run_forget(forget_user);
    return kExitUsage;
}
