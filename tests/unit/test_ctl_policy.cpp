// Unit tests for `recoveryctl policy check`: the report is the daemon's own
// (describe_policy of load_policy); a bad file is named with its line, exit
// status 1 (not 2: the command line was fine). `reload` without a daemon.
#include "tests/unit/UnitTest.h"
#include "tests/unit/test_ctl_output.h"

#include <fstream>
#include <string>
#include <sys/stat.h>

#include "ctl/ExitCode.h"
#include "ctl/PolicyCommands.h"

using namespace recoveryd;
using namespace recoveryd::ctl;

namespace {

struct PolicyFiles {
    TempDir root{"ctl-policy"};
    PolicyPaths paths;

    explicit PolicyFiles(const std::string& main_file) {
        paths.config_file = root / "recoveryd.conf";
        paths.dropin_dir = root / "recoveryd.conf.d";
        std::ofstream(paths.config_file) << main_file;
        chmod(paths.config_file.c_str(), 0644);
    }
};

void prints_the_daemons_report(void**) {
    const PolicyFiles files("[Recovery]\nFlowTimeoutSec = 60\n");
    const Captured check = capture_output([&] { return run_policy_check(files.paths); });
    assert_int_equal(check.code, kExitOk);
    auto policy = load_policy(files.paths);
    assert_true(policy.ok());
    assert_string_equal(check.out.c_str(), describe_policy(*policy).c_str());
    assert_true(contains(check.out, "FlowTimeoutSec = 60\n"));
    assert_true(check.err.empty());
}

void names_a_bad_file_and_line(void**) {
    const PolicyFiles files("[Recovery]\n\nFlowTimeoutSec = forever\n");
    const Captured check = capture_output([&] { return run_policy_check(files.paths); });
    assert_int_equal(check.code, kExitFailure);
    const std::string where = files.paths.config_file.string() + ":3";
    if (!contains(check.err, "recoveryctl: " + where))
        fail_msg("stderr \"%s\" does not name %s", check.err.c_str(), where.c_str());
    assert_true(check.out.empty());
}

void reload_needs_the_daemon(void**) {
    use_absent_bus();
    const Captured reload = capture_output([] { return run_reload(); });
    assert_int_equal(reload.code, kExitUnavailable);
    assert_true(contains(reload.err, "recoveryctl: cannot connect to the system bus"));
}

}  // namespace

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(prints_the_daemons_report),
        cmocka_unit_test(names_a_bad_file_and_line),
        cmocka_unit_test(reload_needs_the_daemon),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
