// The notify hook: which paths may be run as root (check_hook_path), and
// what a hook gets (run_notify_hook): its variables, values as inert bytes,
// the path checked again just before it runs, and its time limit.
//
// A safe path needs every directory above it owned by root and not writable
// by group or others, which /tmp and /var/tmp (1777) are not. These tests
// make their directory next to the test program when the build directory is
// on a safe path, else under /run (see safe_base).

#include "tests/unit/UnitTest.h"
#include "tests/unit/TestFiles.h"
#include "tests/unit/SafeDir.h"

#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "daemon/hooks/NotifyHook.h"

using namespace recoveryd;
using recoveryd::test::safe_base;
using recoveryd::test::SafeDir;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

int setup(void**) {
    if (geteuid() != 0 || safe_base().empty()) {
        print_message("skipped: needs root, and a build directory or /run owned by root and writable by nobody else\n");
        skip();
    }
    return 0;
}

fs::path write_hook(const fs::path& path, const std::string& body, mode_t mode = 0755) {
    std::ofstream(path) << "#!/bin/sh\n" << body;
    assert_int_equal(chmod(path.c_str(), mode), 0);
    return path;
}

void expect_refused(const fs::path& path, ErrorCode code = ErrorCode::InvalidArgument) {
    const auto checked = check_hook_path(path);
    if (checked.ok())
        fail_msg("%s was accepted", path.c_str());
    assert_int_equal(static_cast<int>(checked.error().code), static_cast<int>(code));
    assert_false(checked.error().message.empty());
}

void expect_accepted(const fs::path& path) {
    const auto checked = check_hook_path(path);
    if (!checked.ok())
        fail_msg("%s was refused: %s", path.c_str(), checked.error().message.c_str());
}

void a_root_owned_hook_in_root_owned_directories_is_accepted(void**) {
    SafeDir dir;
    expect_accepted(write_hook(dir / "notify", "exit 0\n"));
    expect_accepted(dir / "." / "notify");
    expect_accepted("/bin/sh");  // through Debian's /bin -> usr/bin link
}

void a_relative_path_is_refused(void**) {
    SafeDir dir;
    write_hook(dir / "notify", "exit 0\n");
    assert_int_equal(chdir(dir.path().c_str()), 0);
    expect_refused("notify");
    expect_refused("./notify");
    assert_int_equal(chdir("/"), 0);
}

void a_missing_file_or_a_directory_is_refused(void**) {
    SafeDir dir;
    expect_refused(dir / "missing", ErrorCode::NotFound);
    expect_refused(dir / "missing" / "notify", ErrorCode::NotFound);
    fs::create_directory(dir / "hooks");
    chmod((dir / "hooks").c_str(), 0755);
    expect_refused(dir / "hooks");
    write_hook(dir / "hooks" / "notify", "exit 0\n");
    expect_accepted(dir / "hooks" / "notify");
    expect_refused(dir.path().string() + "/hooks/notify/");
    expect_refused(dir.path());
}

void a_file_that_is_not_executable_is_refused(void**) {
    SafeDir dir;
    const auto hook = write_hook(dir / "notify", "exit 0\n");
    expect_accepted(hook);
    chmod(hook.c_str(), 0644);
    expect_refused(hook);
}

void a_group_or_world_writable_file_is_refused(void**) {
    SafeDir dir;
    const auto hook = write_hook(dir / "notify", "exit 0\n");
    expect_accepted(hook);
    chmod(hook.c_str(), 0775);
    expect_refused(hook);
    chmod(hook.c_str(), 0757);
    expect_refused(hook);
}

void a_file_or_directory_not_owned_by_root_is_refused(void**) {
    SafeDir dir;
    const auto hook = write_hook(dir / "notify", "exit 0\n");
    expect_accepted(hook);
    assert_int_equal(chown(hook.c_str(), 65534, 0), 0);
    chmod(hook.c_str(), 0755);  // chown cleared nothing that matters; keep the mode safe
    expect_refused(hook);

    fs::create_directory(dir / "theirs");
    const auto their_hook = write_hook(dir / "theirs" / "notify", "exit 0\n");
    chmod((dir / "theirs").c_str(), 0755);
    expect_accepted(their_hook);
    assert_int_equal(chown((dir / "theirs").c_str(), 65534, 0), 0);
    expect_refused(their_hook);
}

void a_writable_directory_above_the_hook_is_refused(void**) {
    SafeDir dir;
    fs::create_directory(dir / "hooks");
    const auto hook = write_hook(dir / "hooks" / "notify", "exit 0\n");
    chmod((dir / "hooks").c_str(), 0755);
    expect_accepted(hook);
    for (const mode_t mode : {0777, 01777, 0775, 0757}) {
        chmod((dir / "hooks").c_str(), mode);
        expect_refused(hook);
    }
}

// A link is as safe as the directory holding it and the one it leads to.
void symbolic_links_are_followed_and_judged(void**) {
    SafeDir dir;
    fs::create_directory(dir / "safe");
    fs::create_directory(dir / "open");
    chmod((dir / "safe").c_str(), 0755);
    chmod((dir / "open").c_str(), 0755);
    const auto safe_hook = write_hook(dir / "safe" / "notify", "exit 0\n");
    const auto open_hook = write_hook(dir / "open" / "notify", "exit 0\n");
    fs::create_symlink("notify", dir / "safe" / "relative");
    fs::create_symlink("../open/notify", dir / "safe" / "to-open");
    fs::create_symlink(safe_hook, dir / "open" / "to-safe");
    fs::create_symlink(dir / "open", dir / "safe" / "open-dir");
    expect_accepted(dir / "safe" / "relative");
    expect_accepted(dir / "safe" / "to-open");
    expect_accepted(dir / "open" / "to-safe");
    expect_accepted(dir / "safe" / "open-dir" / "notify");

    chmod((dir / "open").c_str(), 0777);
    expect_accepted(safe_hook);
    expect_refused(open_hook);
    expect_refused(dir / "safe" / "to-open");          // leads into a writable directory
    expect_refused(dir / "open" / "to-safe");          // the link itself can be swapped
    expect_refused(dir / "safe" / "open-dir" / "notify");

    fs::create_symlink("loop", dir / "safe" / "loop");
    expect_refused(dir / "safe" / "loop");
}

// --- running the hook ---

std::string joined_with_nul(const std::vector<std::string>& strings) {
    std::string text;
    for (const auto& s : strings)
        text.append(s).push_back('\0');
    return text;
}

// A hook that writes its environment and arguments, byte for byte.
fs::path write_recording_hook(const SafeDir& dir) {
    return write_hook(dir / "notify", "cat /proc/$$/environ > " + (dir / "environ").string() +
                                          "\nprintf '%s\\0' \"$@\" > " + (dir / "arguments").string() + "\n");
}

void the_hook_gets_its_variables_and_the_values_verbatim(void**) {
    SafeDir dir;
    const auto hook = write_recording_hook(dir);
    const fs::path owned = "/tmp/recoveryd-owned-" + std::to_string(getpid());
    const std::string contact = "$(touch " + owned.string() + ")";
    const std::string reason = "`touch " + owned.string() + "`; touch " + owned.string() + "; rm -rf ~ 'quoted' \"too\"\n" +
                               "second line " + std::string(10000, 'r');
    assert_int_equal(setenv("RECOVERYD_LEAKED", "from the daemon", 1), 0);
    const HookEvent event{"request-filed", {{"REQUEST_ID", "K7Q-4MZ"}, {"CONTACT", contact}, {"REASON", reason}}};
    const auto exit = run_notify_hook(hook, 10s, event);
    unsetenv("RECOVERYD_LEAKED");
    if (!exit)
        fail_msg("run_notify_hook: %s", exit.error().message.c_str());
    assert_true(exit->succeeded());
    const std::string expected = joined_with_nul({
        "PATH=/usr/sbin:/usr/bin:/sbin:/bin",
        "LANG=C.UTF-8",
        "RECOVERYD_EVENT=request-filed",
        "RECOVERYD_REQUEST_ID=K7Q-4MZ",
        "RECOVERYD_CONTACT=" + contact,
        "RECOVERYD_REASON=" + reason,
    });
    assert_true(read_file_bytes(dir / "environ") == expected);
    assert_true(read_file_bytes(dir / "arguments") == joined_with_nul({"request-filed"}));
    assert_false(fs::exists(owned));
}

void bad_field_names_and_kinds_are_refused_and_nothing_runs(void**) {
    SafeDir dir;
    const auto hook = write_recording_hook(dir);
    assert_true(run_notify_hook(hook, 10s, HookEvent{"request-filed", {{"REQUEST_ID", "x"}}}).ok());
    fs::remove(dir / "environ");

    for (const char* name : {"request_id", "REQUEST-ID", "", "EVENT", "A=B", "LD_PRELOAD=/x.so X"}) {
        const auto refused = run_notify_hook(hook, 10s, HookEvent{"request-filed", {{name, "x"}}});
        assert_false(refused.ok());
        assert_int_equal(static_cast<int>(refused.error().code), static_cast<int>(ErrorCode::InvalidArgument));
    }
    for (const char* kind : {"", "Request-Filed", "request filed", "request-filed;id"}) {
        const auto refused = run_notify_hook(hook, 10s, HookEvent{kind, {}});
        assert_false(refused.ok());
        assert_int_equal(static_cast<int>(refused.error().code), static_cast<int>(ErrorCode::InvalidArgument));
    }
    assert_false(fs::exists(dir / "environ"));
}

void the_path_is_checked_again_just_before_running(void**) {
    SafeDir dir;
    const auto hook = write_recording_hook(dir);
    expect_accepted(hook);  // as when the policy was read
    chmod(hook.c_str(), 0777);
    const auto refused = run_notify_hook(hook, 10s, HookEvent{"request-filed", {}});
    assert_false(refused.ok());
    assert_false(fs::exists(dir / "environ"));
}

void a_hook_that_hangs_is_killed_at_its_time_limit(void**) {
    SafeDir dir;
    const auto hook = write_hook(dir / "notify", "while :; do sleep 1; done\n");
    const auto started = std::chrono::steady_clock::now();
    const auto exit = run_notify_hook(hook, 300ms, HookEvent{"request-filed", {}});
    assert_true(exit.ok());
    assert_int_equal(static_cast<int>(exit->how), static_cast<int>(ProcessExit::How::TimedOut));
    assert_true(std::chrono::steady_clock::now() - started < 10s);  // generous: the limit is 0.3 s
}

void a_failing_hook_is_a_result_not_an_error(void**) {
    SafeDir dir;
    const auto hook = write_hook(dir / "notify", "echo 'mail: no route' >&2\nexit 2\n");
    const auto exit = run_notify_hook(hook, 10s, HookEvent{"request-filed", {}});
    assert_true(exit.ok());
    assert_false(exit->succeeded());
    assert_int_equal(exit->status, 2);
    assert_string_equal(exit->stderr_head.c_str(), "mail: no route\n");
}

}  // namespace

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(a_root_owned_hook_in_root_owned_directories_is_accepted, setup),
        cmocka_unit_test_setup(a_relative_path_is_refused, setup),
        cmocka_unit_test_setup(a_missing_file_or_a_directory_is_refused, setup),
        cmocka_unit_test_setup(a_file_that_is_not_executable_is_refused, setup),
        cmocka_unit_test_setup(a_group_or_world_writable_file_is_refused, setup),
        cmocka_unit_test_setup(a_file_or_directory_not_owned_by_root_is_refused, setup),
        cmocka_unit_test_setup(a_writable_directory_above_the_hook_is_refused, setup),
        cmocka_unit_test_setup(symbolic_links_are_followed_and_judged, setup),
        cmocka_unit_test_setup(the_hook_gets_its_variables_and_the_values_verbatim, setup),
        cmocka_unit_test_setup(bad_field_names_and_kinds_are_refused_and_nothing_runs, setup),
        cmocka_unit_test_setup(the_path_is_checked_again_just_before_running, setup),
        cmocka_unit_test_setup(a_hook_that_hangs_is_killed_at_its_time_limit, setup),
        cmocka_unit_test_setup(a_failing_hook_is_a_result_not_an_error, setup),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
