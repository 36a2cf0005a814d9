// Unit tests for approve, deny, reset-password and unlock without a daemon:
// what they print around the secret, and that bad arguments are refused
// (exit 2) before anything is sent.
#include "tests/unit/UnitTest.h"
#include "tests/unit/test_ctl_output.h"

#include <string>

#include "ctl/DecisionCommands.h"
#include "ctl/ExitCode.h"
#include "ctl/TimeArgs.h"

using namespace recoveryd;
using namespace recoveryd::ctl;

namespace {

constexpr std::uint64_t kNow = 1795600800ULL * kUsecPerSec;  // 2026-11-25T10:00:00Z

void approval_says_the_code_its_expiry_and_to_confirm_first(void**) {
    const Approval approval{Secret("7KQM-4XZP-A9R2"), kNow + 3600 * kUsecPerSec};
    const SensitiveString text = format_approval("K7Q-4MZ", approval, kNow + 150000);
    const std::string shown(text.data(), text.size());
    assert_true(contains(shown, "Approval code for request K7Q-4MZ:\n\n    7KQM-4XZP-A9R2\n\n"));
    assert_true(contains(shown, "expires at 2026-11-25T11:00:00Z (in 60 minutes)"));
    assert_true(contains(shown, "works once"));
    assert_true(contains(shown, "Read it to the person only after you have confirmed who they are through "
                                "contact details already on file."));
}

void temporary_password_says_it_must_be_changed(void**) {
    const SensitiveString text = format_temporary_password("alice", Secret("tidal-orbit-crane-47"));
    const std::string shown(text.data(), text.size());
    assert_true(contains(shown, "Temporary password for alice:\n\n    tidal-orbit-crane-47\n\n"));
    assert_true(contains(shown, "alice must choose a new password at the next login."));
}

// Each run ends before calling (kExitUsage) or at the absent bus
// (kExitUnavailable): the second shows the arguments were accepted.
int run_quietly(int (*command)(std::string_view, std::string_view), const std::string& a, const std::string& b) {
    return capture_output([&] { return command(a, b); }).code;
}
int run_quietly(int (*command)(std::string_view), const std::string& a) {
    return capture_output([&] { return command(a); }).code;
}

void refuses_bad_arguments_before_calling(void**) {
    use_absent_bus();
    assert_int_equal(run_quietly(run_approve, "K7Q-4MZ", ""), kExitUnavailable);
    assert_int_equal(run_quietly(run_approve, "K7Q-4MZ", "called back"), kExitUnavailable);
    assert_int_equal(run_quietly(run_approve, "", ""), kExitUsage);
    assert_int_equal(run_quietly(run_approve, "K7Q\n4MZ", ""), kExitUsage);
    assert_int_equal(run_quietly(run_approve, std::string(65, 'A'), ""), kExitUsage);
    assert_int_equal(run_quietly(run_approve, "K7Q-4MZ", "a\x1b[2Jb"), kExitUsage);

    assert_int_equal(run_quietly(run_deny, "K7Q-4MZ", "not the holder"), kExitUnavailable);
    assert_int_equal(run_quietly(run_deny, "K7Q-4MZ", ""), kExitUsage);
    assert_int_equal(run_quietly(run_deny, "K7Q-4MZ", "line\nbreak"), kExitUsage);
    assert_int_equal(run_quietly(run_deny, "", "reason"), kExitUsage);

    for (int (*command)(std::string_view) : {run_reset_password, run_unlock}) {
        assert_int_equal(run_quietly(command, "alice"), kExitUnavailable);
        for (const char* bad : {"", "Alice", "-rf", "../alice", "al ice", "alice\n", "root:x"})
            assert_int_equal(run_quietly(command, bad), kExitUsage);
    }
}

void says_what_was_wrong(void**) {
    use_absent_bus();
    const Captured empty_reason = capture_output([] { return run_deny("K7Q-4MZ", ""); });
    assert_true(contains(empty_reason.err, "recoveryctl: --reason must not be empty"));
    const Captured bad_user = capture_output([] { return run_reset_password("Alice"); });
    assert_true(contains(bad_user.err, "recoveryctl: "));
    assert_true(bad_user.out.empty());
}

}  // namespace

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(approval_says_the_code_its_expiry_and_to_confirm_first),
        cmocka_unit_test(temporary_password_says_it_must_be_changed),
        cmocka_unit_test(refuses_bad_arguments_before_calling),
        cmocka_unit_test(says_what_was_wrong),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
