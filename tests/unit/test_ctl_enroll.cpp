// Unit tests for `recoveryctl enroll codes`: the process stops being
// dumpable before it holds the password, and stays so.
#include "tests/unit/UnitTest.h"

#include <cstdlib>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ctl/EnrollCommand.h"
#include "ctl/ExitCode.h"

using namespace recoveryd::ctl;

namespace {

// In a child, so the test process itself keeps its state: exits with the
// child's PR_GET_DUMPABLE after the command returned.
int dumpable_after_enroll() {
    const pid_t child = fork();
    assert_true(child >= 0);
    if (child == 0) {
        // No bus: the command ends early, but only after it protected itself.
        setenv("DBUS_SYSTEM_BUS_ADDRESS", "unix:path=/nonexistent/recoveryd-test-bus", 1);
        const int code = run_enroll_codes();
        _exit(code == kExitUnavailable ? prctl(PR_GET_DUMPABLE, 0, 0, 0, 0) : 100 + code);
    }
    int status = 0;
    assert_int_equal(waitpid(child, &status, 0), child);
    assert_true(WIFEXITED(status));
    return WEXITSTATUS(status);
}

void enrolling_makes_the_process_not_dumpable(void**) {
    assert_int_equal(prctl(PR_GET_DUMPABLE, 0, 0, 0, 0), 1);
    assert_int_equal(dumpable_after_enroll(), 0);
}

}  // namespace

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(enrolling_makes_the_process_not_dumpable),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
