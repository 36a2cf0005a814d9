// Unit tests for `recoveryctl forget`: what it prints, and that it refuses a
// bad user name before it talks to anyone.
#include "tests/unit/UnitTest.h"

#include <cstdlib>

#include "ctl/ExitCode.h"
#include "ctl/ForgetCommand.h"

using namespace recoveryd::ctl;

namespace {

void says_what_was_removed(void**) {
    assert_string_equal(format_forget_result("alice", 0).c_str(), "alice had nothing enrolled.\n");
    assert_string_equal(format_forget_result("alice", 1).c_str(), "Removed 1 enrollment of alice.\n");
    assert_string_equal(format_forget_result("bob", 3).c_str(), "Removed 3 enrollments of bob.\n");
}

void refuses_a_bad_name_without_calling(void**) {
    // A bus that is not there: a call would end in kExitUnavailable.
    setenv("DBUS_SYSTEM_BUS_ADDRESS", "unix:path=/nonexistent/recoveryd-test-bus", 1);
    assert_int_equal(run_forget("alice"), kExitUnavailable);
    for (const char* bad : {"", "Alice", "-rf", "../alice", "al ice", "alice\n"})
        assert_int_equal(run_forget(bad), kExitUsage);
}

}  // namespace

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(says_what_was_removed),
        cmocka_unit_test(refuses_a_bad_name_without_calling),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
