// Unit tests for recoveryctl's command line: each administrator command and
// its options reach the right Command; required arguments, --limit's range
// and unknown options are usage errors (2); --help is not an error and says
// which commands are for administrators.
#include "tests/unit/UnitTest.h"
#include "tests/unit/test_ctl_output.h"

#include <initializer_list>
#include <variant>
#include <vector>

#include "ctl/CommandLine.h"
#include "ctl/ExitCode.h"

using namespace recoveryd::ctl;

namespace {

std::variant<CommandLine, int> parse(std::initializer_list<const char*> args) {
    std::vector<const char*> argv{"recoveryctl"};
    argv.insert(argv.end(), args);
    return parse_command_line(static_cast<int>(argv.size()), argv.data());
}

CommandLine parsed(std::initializer_list<const char*> args) {
    auto result = parse(args);
    if (!std::holds_alternative<CommandLine>(result))
        fail_msg("refused, exit status %d", std::get<int>(result));
    return std::get<CommandLine>(result);
}

// The exit status for a refused command line (CLI11's message is captured).
int refused(std::initializer_list<const char*> args) {
    return capture_output([&] {
               auto result = parse(args);
               assert_true(std::holds_alternative<int>(result));
               return std::get<int>(result);
           }).code;
}

void parses_requests_and_watch(void**) {
    CommandLine line = parsed({"requests"});
    assert_true(line.command == Command::Requests);
    assert_false(line.all);
    assert_false(line.json);
    line = parsed({"requests", "--all", "--json"});
    assert_true(line.command == Command::Requests);
    assert_true(line.all);
    assert_true(line.json);
    assert_true(parsed({"watch"}).command == Command::Watch);
}

void parses_decisions(void**) {
    CommandLine line = parsed({"approve", "K7Q-4MZ"});
    assert_true(line.command == Command::Approve);
    assert_string_equal(line.id.c_str(), "K7Q-4MZ");
    assert_string_equal(line.note.c_str(), "");
    line = parsed({"approve", "K7Q-4MZ", "--note", "called back on file number"});
    assert_string_equal(line.note.c_str(), "called back on file number");
    line = parsed({"deny", "K7Q-4MZ", "--reason", "not the account holder"});
    assert_true(line.command == Command::Deny);
    assert_string_equal(line.id.c_str(), "K7Q-4MZ");
    assert_string_equal(line.reason.c_str(), "not the account holder");
    line = parsed({"reset-password", "alice"});
    assert_true(line.command == Command::ResetPassword);
    assert_string_equal(line.user.c_str(), "alice");
    line = parsed({"unlock", "bob"});
    assert_true(line.command == Command::Unlock);
    assert_string_equal(line.user.c_str(), "bob");
}

void parses_audit_and_policy(void**) {
    CommandLine line = parsed({"audit"});
    assert_true(line.command == Command::Audit);
    assert_false(line.audit.user.has_value());
    assert_false(line.audit.since.has_value());
    assert_false(line.audit.limit.has_value());
    assert_false(line.audit.json);
    line = parsed({"audit", "--user", "alice", "--since", "12h", "--limit", "10000", "--json"});
    assert_string_equal(line.audit.user->c_str(), "alice");
    assert_string_equal(line.audit.since->c_str(), "12h");
    assert_int_equal(*line.audit.limit, 10000);
    assert_true(line.audit.json);
    assert_true(parsed({"policy", "check"}).command == Command::PolicyCheck);
    assert_true(parsed({"reload"}).command == Command::Reload);
    // The commands that were there before still parse as they did.
    assert_true(parsed({"status", "--json"}).json);
    assert_true(parsed({"enroll", "codes"}).command == Command::EnrollCodes);
    assert_true(parsed({"forget", "carol"}).command == Command::Forget);
}

void refuses_bad_command_lines(void**) {
    assert_int_equal(refused({}), kExitUsage);
    assert_int_equal(refused({"approve"}), kExitUsage);
    assert_int_equal(refused({"deny", "K7Q-4MZ"}), kExitUsage);  // --reason is required
    assert_int_equal(refused({"deny", "--reason", "x"}), kExitUsage);
    assert_int_equal(refused({"reset-password"}), kExitUsage);
    assert_int_equal(refused({"unlock"}), kExitUsage);
    assert_int_equal(refused({"audit", "--limit", "0"}), kExitUsage);
    assert_int_equal(refused({"audit", "--limit", "10001"}), kExitUsage);
    assert_int_equal(refused({"audit", "--limit", "ten"}), kExitUsage);
    assert_int_equal(refused({"audit", "--since"}), kExitUsage);
    assert_int_equal(refused({"policy"}), kExitUsage);
    assert_int_equal(refused({"requests", "--everything"}), kExitUsage);
    assert_int_equal(refused({"approve", "A", "B"}), kExitUsage);
}

void help_names_the_administrator_commands(void**) {
    const Captured help = capture_output([] {
        auto result = parse({"--help"});
        assert_true(std::holds_alternative<int>(result));
        return std::get<int>(result);
    });
    assert_int_equal(help.code, kExitOk);
    const std::string& text = help.out;
    const auto admin_heading = text.find("Administrators (root, or a group in the policy's [Admin] Groups)");
    const auto account_heading = text.find("Your account");
    assert_true(admin_heading != std::string::npos);
    assert_true(account_heading != std::string::npos);
    for (const char* command : {"requests", "approve", "deny", "watch", "reset-password", "unlock", "forget",
                                "audit", "policy", "reload"}) {
        const auto at = text.find(std::string("\n  ") + command + " ");
        if (at == std::string::npos || at < admin_heading)
            fail_msg("%s is not listed under the administrators' heading", command);
    }
    for (const char* command : {"status", "enroll"}) {
        const auto at = text.find(std::string("\n  ") + command + " ");
        assert_true(at != std::string::npos && at > account_heading && at < admin_heading);
    }
}

}  // namespace

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(parses_requests_and_watch),
        cmocka_unit_test(parses_decisions),
        cmocka_unit_test(parses_audit_and_policy),
        cmocka_unit_test(refuses_bad_command_lines),
        cmocka_unit_test(help_names_the_administrator_commands),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
