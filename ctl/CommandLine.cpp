#include "ctl/CommandLine.h"

#include <CLI/CLI.hpp>

#include "ctl/DecisionCommands.h"
#include "ctl/EnrollCommand.h"
#include "ctl/ExitCode.h"
#include "ctl/ForgetCommand.h"
#include "ctl/PolicyCommands.h"
#include "ctl/RequestsCommand.h"
#include "ctl/StatusCommand.h"

namespace recoveryd::ctl {
namespace {

constexpr const char* kYours = "Your account";
constexpr const char* kAdmins = "Administrators (root, or a group in the policy's [Admin] Groups)";

// Each subcommand and the Command it stands for.
struct Subcommands {
    std::vector<std::pair<CLI::App*, Command>> all;
    CLI::App* add(CLI::App& parent, const char* name, const char* description, const char* group, Command c) {
        CLI::App* sub = parent.add_subcommand(name, description);
        sub->group(group);
        all.emplace_back(sub, c);
        return sub;
    }
};

void add_account_commands(CLI::App& app, Subcommands& subs, CommandLine& line) {
    subs.add(app, "status", "Show the recovery methods you have enrolled", kYours, Command::Status)
        ->add_flag("--json", line.json, "Print JSON instead of text");
    auto* enroll = app.add_subcommand("enroll", "Enroll a recovery method");
    enroll->group(kYours);
    enroll->require_subcommand(1);
    subs.add(*enroll, "codes", "Replace your recovery codes with 10 new ones", kYours, Command::EnrollCodes);
}

void add_request_commands(CLI::App& app, Subcommands& subs, CommandLine& line) {
    auto* requests = subs.add(app, "requests", "List the open requests for help filed at login prompts", kAdmins,
                              Command::Requests);
    requests->add_flag("--all", line.all, "Also closed requests (approved, denied, completed, expired)");
    requests->add_flag("--json", line.json, "Print JSON instead of text");

    auto* approve = subs.add(app, "approve", "Issue a one-time approval code for a request", kAdmins,
                             Command::Approve);
    approve->add_option("ID", line.id, "The request's id, as 'requests' shows it")->required();
    approve->add_option("--note", line.note, "Why it was approved (audited, shown by 'requests')");

    auto* deny = subs.add(app, "deny", "Close a request without helping", kAdmins, Command::Deny);
    deny->add_option("ID", line.id, "The request's id, as 'requests' shows it")->required();
    deny->add_option("--reason", line.reason, "Why (required; audited, shown by 'requests')")->required();

    subs.add(app, "watch", "Print requests as they are filed, until interrupted", kAdmins, Command::Watch);
}

void add_account_admin_commands(CLI::App& app, Subcommands& subs, CommandLine& line) {
    subs.add(app, "reset-password", "Set a temporary password that USER must change at the next login", kAdmins,
             Command::ResetPassword)
        ->add_option("USER", line.user, "The user name")
        ->required();
    subs.add(app, "unlock", "Reset USER's failed-login counters (pam_faillock and recoveryd's)", kAdmins,
             Command::Unlock)
        ->add_option("USER", line.user, "The user name")
        ->required();
    subs.add(app, "forget", "Delete every recovery method enrolled under USER (root only; run by userdel's hook)",
             kAdmins, Command::Forget)
        ->add_option("USER", line.user, "The user name, usually of an account being deleted")
        ->required();
}

void add_audit_and_policy_commands(CLI::App& app, Subcommands& subs, CommandLine& line) {
    auto* audit = subs.add(app, "audit", "Show the audit log, oldest first", kAdmins, Command::Audit);
    auto* user = audit->add_option("--user", line.audit.user, "Only rows about this user");
    auto* since = audit->add_option("--since", line.audit.since,
                                    "Only rows from TIME on: 2026-11-25, 2026-11-25T08:30Z (UTC) or 30m, 12h, 7d ago");
    auto* limit = audit->add_option("--limit", line.audit.limit, "Only the newest N rows (default 100)")
                      ->check(CLI::Range(1, 10000));
    audit->add_flag("--json", line.audit.json, "Print JSON instead of text");
    audit->add_flag("--verify", line.audit.verify,
                    "Check that no row was changed, removed, inserted or moved (exit status 5 if one was)")
        ->excludes(user)
        ->excludes(since)
        ->excludes(limit);

    auto* policy = app.add_subcommand("policy", "Check the policy files");
    policy->group(kAdmins);
    policy->require_subcommand(1);
    subs.add(*policy, "check", "Check the policy files and print the effective policy", kAdmins,
             Command::PolicyCheck);
    subs.add(app, "reload", "Make recoveryd read its policy files again", kAdmins, Command::Reload);
}

}  // namespace

std::variant<CommandLine, int> parse_command_line(int argc, const char* const* argv) {
    CommandLine line;
    CLI::App app{"Manage how you can recover your account if you forget your password;\n"
                 "administrators also answer requests for help filed at login prompts."};
    app.require_subcommand(1);
    app.footer("'recoveryctl COMMAND --help' shows a command's options.\n"
               "Exit status: 0 done, 1 failure, 2 bad command line or input, 3 recoveryd not reachable,\n"
               "4 permission denied or wrong password, 5 audit log tampered with (audit --verify).");
    Subcommands subs;
    add_account_commands(app, subs, line);
    add_request_commands(app, subs, line);
    add_account_admin_commands(app, subs, line);
    add_audit_and_policy_commands(app, subs, line);
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e) == 0 ? kExitOk : kExitUsage;
    }
    for (const auto& [sub, command] : subs.all)
        if (sub->parsed())
            line.command = command;
    return line;
}

int run_command(const CommandLine& line) {
    switch (line.command) {
    case Command::Status: return run_status(line.json);
    case Command::EnrollCodes: return run_enroll_codes();
    case Command::Forget: return run_forget(line.user);
    case Command::Requests: return run_requests(line.all, line.json);
    case Command::Approve: return run_approve(line.id, line.note);
    case Command::Deny: return run_deny(line.id, line.reason);
    case Command::ResetPassword: return run_reset_password(line.user);
    case Command::Unlock: return run_unlock(line.user);
    case Command::Watch: return run_watch();
    case Command::Audit: return run_audit(line.audit);
    case Command::PolicyCheck: return run_policy_check();
    case Command::Reload: return run_reload();
    }
    return kExitUsage;
}

}  // namespace recoveryd::ctl
