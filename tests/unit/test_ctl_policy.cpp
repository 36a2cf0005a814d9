// Unit tests for `recoveryctl policy check`: the report is the daemon's own
// (describe_policy of load_policy); a bad file is named with its line, exit
// status 1 (not 2: the command line was fine); only root and members of the
// policy's [Admin] Groups see the report (run as `nobody` in a child, which
// needs root to start). `reload` without a daemon.
#include "tests/unit/UnitTest.h"
#include "tests/unit/test_ctl_output.h"

#include <fcntl.h>
#include <fstream>
#include <grp.h>
#include <pwd.h>
#include <string>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

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
        chmod(root.path().c_str(), 0755);  // readable by the unprivileged caller below
    }
};

// `policy check` run by `user` (its real and effective uid and groups) in a
// child; skips the test unless it runs as root (it cannot become someone else).
Captured policy_check_as(const char* user, const PolicyPaths& paths) {
    if (geteuid() != 0)
        skip();
    const struct passwd* account = getpwnam(user);
    assert_non_null(account);
    const uid_t uid = account->pw_uid;
    const gid_t gid = account->pw_gid;
    TempDir dir{"ctl-policy-as"};
    const int out = open((dir / "out").c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
    const int err = open((dir / "err").c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
    assert_true(out >= 0 && err >= 0);
    std::fflush(stdout);
    std::fflush(stderr);
    const pid_t child = fork();
    assert_true(child >= 0);
    if (child == 0) {
        dup2(out, STDOUT_FILENO);
        dup2(err, STDERR_FILENO);
        if (initgroups(user, gid) != 0 || setresgid(gid, gid, gid) != 0 || setresuid(uid, uid, uid) != 0)
            _exit(99);
        const int code = run_policy_check(paths);
        std::fflush(stdout);
        std::fflush(stderr);
        _exit(code);
    }
    close(out);
    close(err);
    int status = 0;
    assert_int_equal(waitpid(child, &status, 0), child);
    assert_true(WIFEXITED(status));
    Captured result;
    result.code = WEXITSTATUS(status);
    result.out = read_file_bytes(dir / "out");
    result.err = read_file_bytes(dir / "err");
    return result;
}

std::string primary_group_of(const char* user) {
    const struct passwd* account = getpwnam(user);
    assert_non_null(account);
    const struct group* group = getgrgid(account->pw_gid);
    assert_non_null(group);
    return group->gr_name;
}

void assert_refused(const Captured& check) {
    assert_int_equal(check.code, kExitDenied);
    if (!contains(check.err, "recoveryctl: permission denied"))
        fail_msg("stderr \"%s\" does not say permission denied", check.err.c_str());
    assert_true(check.out.empty());
}

// Whoever runs the tests (root, or a package build's user) is an
// administrator by a policy naming their primary group.
std::string runners_admin_section() {
    const struct passwd* runner = getpwuid(getuid());
    assert_non_null(runner);
    return "[Admin]\nGroups = " + primary_group_of(runner->pw_name) + "\n";
}

void prints_the_daemons_report(void**) {
    const PolicyFiles files(runners_admin_section() + "[Recovery]\nFlowTimeoutSec = 60\n");
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

void only_administrators_see_the_report(void**) {
    // No administrator groups: root only.
    const PolicyFiles root_only("[Recovery]\nFlowTimeoutSec = 60\n");
    assert_refused(policy_check_as("nobody", root_only.paths));
    // A group nobody is not in.
    const PolicyFiles others("[Admin]\nGroups = root\n");
    assert_refused(policy_check_as("nobody", others.paths));
    // Its primary group: a member, as for the daemon.
    const PolicyFiles members("[Admin]\nGroups = root " + primary_group_of("nobody") + "\n");
    const Captured member = policy_check_as("nobody", members.paths);
    assert_int_equal(member.code, kExitOk);
    auto policy = load_policy(members.paths);
    assert_true(policy.ok());
    assert_string_equal(member.out.c_str(), describe_policy(*policy).c_str());
    assert_true(member.err.empty());
}

// Without a policy there are no groups to judge by: the file's own error,
// for anyone who can read it (as recoveryd --check-policy prints it).
void a_bad_file_is_named_to_anyone(void**) {
    const PolicyFiles files("[Admin]\nGroups = root\n[Recovery]\nFlowTimeoutSec = forever\n");
    const Captured check = policy_check_as("nobody", files.paths);
    assert_int_equal(check.code, kExitFailure);
    assert_true(contains(check.err, "recoveryctl: " + files.paths.config_file.string() + ":4"));
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
        cmocka_unit_test(only_administrators_see_the_report),
        cmocka_unit_test(a_bad_file_is_named_to_anyone),
        cmocka_unit_test(reload_needs_the_daemon),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
