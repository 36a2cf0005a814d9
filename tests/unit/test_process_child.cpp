// run_process: a clean environment, /dev/null on stdin and stdout, no
// inherited descriptors or signal state, a time limit that kills the whole
// process group, and stderr drained without ever blocking the program.
// The programs are small shell scripts written into a TempDir.

#include "tests/unit/UnitTest.h"
#include "tests/unit/TestFiles.h"

#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "daemon/process/ChildProcess.h"

using namespace recoveryd;
using namespace std::chrono_literals;

namespace {

std::filesystem::path write_script(const TempDir& dir, const char* name, const std::string& body) {
    const auto path = dir / name;
    std::ofstream(path) << "#!/bin/sh\n" << body;
    assert_int_equal(chmod(path.c_str(), 0755), 0);
    return path;
}

ProcessSpec spec_for(const std::filesystem::path& program, std::vector<std::string> arguments,
                     std::chrono::milliseconds timeout = 10s) {
    return ProcessSpec{program, std::move(arguments), {"PATH=/usr/bin:/bin"}, timeout};
}

ProcessExit run_ok(const ProcessSpec& spec) {
    auto result = run_process(spec);
    if (!result)
        fail_msg("run_process: %s", result.error().message.c_str());
    return std::move(result).value();
}

std::string joined_with_nul(const std::vector<std::string>& strings) {
    std::string text;
    for (const auto& s : strings)
        text.append(s).push_back('\0');
    return text;
}

// A pid is gone once it no longer exists or is only a zombie waiting for
// whoever adopted it.
bool process_gone(pid_t pid) {
    if (kill(pid, 0) != 0)
        return true;
    const std::string stat = read_file_bytes("/proc/" + std::to_string(pid) + "/stat");
    const auto close_paren = stat.rfind(')');
    return close_paren != std::string::npos && stat.size() > close_paren + 2 && stat[close_paren + 2] == 'Z';
}

bool wait_until_gone(pid_t pid) {
    for (int i = 0; i < 100 && !process_gone(pid); ++i)
        std::this_thread::sleep_for(50ms);
    return process_gone(pid);
}

pid_t read_pid(const std::filesystem::path& file) {
    const std::string text = read_file_bytes(file);
    assert_false(text.empty());
    return static_cast<pid_t>(std::stol(text));
}

std::size_t open_fd_count() {
    std::size_t count = 0;
    for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator("/proc/self/fd"))
        ++count;
    return count;
}

void the_environment_is_exactly_what_was_given(void**) {
    TempDir dir{"process-env"};
    assert_int_equal(setenv("RECOVERYD_TEST_INHERITED", "must not reach the child", 1), 0);
    const auto script = write_script(dir, "env.sh", "cat /proc/$$/environ > \"$1\"\n");
    const std::vector<std::string> environment = {"PATH=/usr/bin:/bin", "GREETING=hello world", "EMPTY="};
    const auto exit = run_ok(ProcessSpec{script, {(dir / "env").string()}, environment, 10s});
    unsetenv("RECOVERYD_TEST_INHERITED");
    assert_true(exit.succeeded());
    const std::string seen = read_file_bytes(dir / "env");
    assert_true(seen == joined_with_nul(environment));
}

void arguments_are_passed_verbatim(void**) {
    TempDir dir{"process-args"};
    const auto owned = std::filesystem::path("/tmp/recoveryd-owned-" + std::to_string(getpid()));
    const std::vector<std::string> values = {
        "$(touch " + owned.string() + ")",
        "`touch " + owned.string() + "`",
        "; touch " + owned.string() + "; rm -rf ~",
        "two words",
        "quotes ' and \"",
        "a\nnewline",
        "",
        std::string(10000, 'k'),
    };
    const auto script = write_script(dir, "args.sh", "out=$1\nshift\nprintf '%s\\0' \"$@\" > \"$out\"\n");
    std::vector<std::string> arguments = {(dir / "args").string()};
    arguments.insert(arguments.end(), values.begin(), values.end());
    assert_true(run_ok(spec_for(script, arguments)).succeeded());
    assert_true(read_file_bytes(dir / "args") == joined_with_nul(values));
    assert_false(std::filesystem::exists(owned));
}

void stdin_and_stdout_are_dev_null(void**) {
    TempDir dir{"process-stdio"};
    // Our own stdin is a pipe with a line in it, so an inherited stdin shows.
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    assert_int_equal(write(fds[1], "leaked\n", 7), 7);
    const int saved_stdin = dup(0);
    assert_true(saved_stdin >= 0);
    assert_int_equal(dup2(fds[0], 0), 0);
    const auto script = write_script(dir, "stdio.sh",
                                     "in=$(readlink /proc/$$/fd/0)\nout=$(readlink /proc/$$/fd/1)\n"
                                     "if read -r line; then echo \"read:$line\"; else echo eof; fi > \"$1\"\n"
                                     "echo \"$in\" \"$out\" >> \"$1\"\n");
    const auto exit = run_ok(spec_for(script, {(dir / "stdio").string()}));
    dup2(saved_stdin, 0);
    close(saved_stdin);
    close(fds[0]);
    close(fds[1]);
    assert_true(exit.succeeded());
    assert_string_equal(read_file_bytes(dir / "stdio").c_str(), "eof\n/dev/null /dev/null\n");
}

void no_other_descriptor_is_inherited(void**) {
    TempDir dir{"process-fds"};
    std::ofstream(dir / "inherited-marker") << "x";
    const int fd = open((dir / "inherited-marker").c_str(), O_RDONLY);  // no O_CLOEXEC, on purpose
    assert_true(fd >= 0);
    const auto script = write_script(dir, "fds.sh", "for fd in /proc/$$/fd/*; do readlink \"$fd\"; done > \"$1\"\nexit 0\n");
    const auto exit = run_ok(spec_for(script, {(dir / "fds").string()}));
    close(fd);
    assert_true(exit.succeeded());
    const std::string seen = read_file_bytes(dir / "fds");
    assert_true(seen.find("/dev/null") != std::string::npos);  // the listing worked
    assert_true(seen.find("inherited-marker") == std::string::npos);
}

void a_timeout_kills_the_program_and_what_it_started(void**) {
    TempDir dir{"process-timeout"};
    const auto script = write_script(dir, "hang.sh",
                                     "sleep 1000 &\necho $! > \"$1\"\nwhile :; do sleep 1; done\n");
    const auto started = std::chrono::steady_clock::now();
    const auto exit = run_ok(spec_for(script, {(dir / "grandchild.pid").string()}, 500ms));
    const auto took = std::chrono::steady_clock::now() - started;
    assert_int_equal(static_cast<int>(exit.how), static_cast<int>(ProcessExit::How::TimedOut));
    assert_int_equal(exit.status, SIGKILL);
    assert_false(exit.succeeded());
    assert_true(took < 10s);  // generous: the limit is 0.5 s
    const pid_t grandchild = read_pid(dir / "grandchild.pid");
    const bool gone = wait_until_gone(grandchild);
    if (!gone)
        kill(grandchild, SIGKILL);
    assert_true(gone);
}

void a_background_process_holding_stderr_does_not_delay_the_result(void**) {
    TempDir dir{"process-background"};
    const auto script = write_script(dir, "background.sh", "sleep 30 &\necho $! > \"$1\"\nexit 0\n");
    const auto exit = run_ok(spec_for(script, {(dir / "background.pid").string()}, 20s));
    kill(read_pid(dir / "background.pid"), SIGKILL);
    assert_int_equal(static_cast<int>(exit.how), static_cast<int>(ProcessExit::How::Exited));
    assert_true(exit.succeeded());
}

void exit_codes_signals_and_stderr_are_reported(void**) {
    TempDir dir{"process-exit"};
    const std::size_t fds_before = open_fd_count();

    const auto failing = run_ok(spec_for(write_script(dir, "fail.sh", "echo 'no mail server' >&2\nexit 7\n"), {}));
    assert_int_equal(static_cast<int>(failing.how), static_cast<int>(ProcessExit::How::Exited));
    assert_int_equal(failing.status, 7);
    assert_false(failing.succeeded());
    assert_string_equal(failing.stderr_head.c_str(), "no mail server\n");

    const auto fine = run_ok(spec_for(write_script(dir, "ok.sh", "exit 0\n"), {}));
    assert_true(fine.succeeded());
    assert_true(fine.stderr_head.empty());

    const auto killed = run_ok(spec_for(write_script(dir, "kill.sh", "kill -KILL $$\n"), {}));
    assert_int_equal(static_cast<int>(killed.how), static_cast<int>(ProcessExit::How::Signaled));
    assert_int_equal(killed.status, SIGKILL);
    assert_false(killed.succeeded());

    assert_int_equal(open_fd_count(), fds_before);  // every descriptor closed again
}

// The daemon blocks SIGTERM for sd-event, and an ignored signal stays
// ignored across exec: the child must start with neither.
void signal_mask_and_dispositions_are_reset(void**) {
    TempDir dir{"process-signals"};
    const auto script = write_script(dir, "self.sh", "kill -\"$1\" $$\nexit 3\n");

    sigset_t term;
    sigset_t previous_mask;
    sigemptyset(&term);
    sigaddset(&term, SIGTERM);
    assert_int_equal(pthread_sigmask(SIG_BLOCK, &term, &previous_mask), 0);
    const auto terminated = run_ok(spec_for(script, {"TERM"}));
    assert_int_equal(pthread_sigmask(SIG_SETMASK, &previous_mask, nullptr), 0);
    assert_int_equal(static_cast<int>(terminated.how), static_cast<int>(ProcessExit::How::Signaled));
    assert_int_equal(terminated.status, SIGTERM);

    struct sigaction ignore {};
    struct sigaction previous_action {};
    ignore.sa_handler = SIG_IGN;
    assert_int_equal(sigaction(SIGINT, &ignore, &previous_action), 0);
    const auto interrupted = run_ok(spec_for(script, {"INT"}));
    assert_int_equal(sigaction(SIGINT, &previous_action, nullptr), 0);
    assert_int_equal(static_cast<int>(interrupted.how), static_cast<int>(ProcessExit::How::Signaled));
    assert_int_equal(interrupted.status, SIGINT);
}

// With SIGCHLD ignored the kernel reaps the child and its exit status is
// lost: that must be an error, never a made-up success.
void an_exit_status_that_cannot_be_known_is_an_error(void**) {
    TempDir dir{"process-sigchld"};
    const auto script = write_script(dir, "exit3.sh", "exit 3\n");
    struct sigaction ignore {};
    struct sigaction previous {};
    ignore.sa_handler = SIG_IGN;
    assert_int_equal(sigaction(SIGCHLD, &ignore, &previous), 0);
    const auto result = run_process(spec_for(script, {}));
    assert_int_equal(sigaction(SIGCHLD, &previous, nullptr), 0);
    assert_false(result.ok());
    assert_int_equal(static_cast<int>(result.error().code), static_cast<int>(ErrorCode::Internal));
}

void megabytes_on_stderr_keep_one_kib_and_never_block(void**) {
    TempDir dir{"process-stderr"};
    const auto script = write_script(dir, "noisy.sh",
                                     "printf 'first line\\n' >&2\n"
                                     "head -c 4000000 /dev/zero | tr '\\000' x >&2\n"
                                     "printf finished > \"$1\"\n");
    const auto exit = run_ok(spec_for(script, {(dir / "finished").string()}, 30s));
    assert_int_equal(static_cast<int>(exit.how), static_cast<int>(ProcessExit::How::Exited));
    assert_true(exit.succeeded());
    assert_int_equal(exit.stderr_head.size(), kStderrHeadBytes);
    assert_true(exit.stderr_head == "first line\n" + std::string(kStderrHeadBytes - 11, 'x'));
    assert_string_equal(read_file_bytes(dir / "finished").c_str(), "finished");
}

void several_threads_run_programs_at_once(void**) {
    TempDir dir{"process-threads"};
    const auto script = write_script(dir, "code.sh", "sleep 0.2\nexit \"$1\"\n");
    std::vector<int> statuses(6, -1);
    std::vector<std::thread> threads;
    for (std::size_t i = 0; i < statuses.size(); ++i)
        threads.emplace_back([&, i] {
            auto exit = run_process(spec_for(script, {std::to_string(i + 10)}));
            statuses[i] = exit ? exit->status : -1;
        });
    for (auto& thread : threads)
        thread.join();
    for (std::size_t i = 0; i < statuses.size(); ++i)
        assert_int_equal(statuses[i], static_cast<int>(i + 10));
}

void expect_invalid(const ProcessSpec& spec) {
    auto result = run_process(spec);
    assert_false(result.ok());
    assert_int_equal(static_cast<int>(result.error().code), static_cast<int>(ErrorCode::InvalidArgument));
}

void a_malformed_spec_is_refused_and_nothing_runs(void**) {
    TempDir dir{"process-spec"};
    const auto marker = dir / "ran";
    const auto script = write_script(dir, "touch.sh", "touch " + marker.string() + "\n");
    assert_true(run_ok(spec_for(script, {})).succeeded());  // the spec below differs in one thing only
    std::filesystem::remove(marker);

    expect_invalid(spec_for("touch.sh", {}));
    expect_invalid(spec_for(script, {std::string("a\0b", 3)}));
    expect_invalid(spec_for(script, {}, 0ms));
    expect_invalid(spec_for(script, {}, -1ms));
    expect_invalid(spec_for(script, {}, std::chrono::milliseconds::max()));
    for (const char* entry : {"NOVALUE", "=value", "1ST=x", "BAD-NAME=x", "A B=x"})
        expect_invalid(ProcessSpec{script, {}, {entry}, 10s});
    expect_invalid(ProcessSpec{script, {}, {std::string("NAME=a\0b", 8)}, 10s});
    expect_invalid(ProcessSpec{script, {}, {"PATH=/bin", "PATH=/tmp"}, 10s});
    assert_false(std::filesystem::exists(marker));

    auto missing = run_process(spec_for(dir / "missing.sh", {}));
    assert_false(missing.ok());
    assert_int_equal(static_cast<int>(missing.error().code), static_cast<int>(ErrorCode::NotFound));
}

}  // namespace

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_environment_is_exactly_what_was_given),
        cmocka_unit_test(arguments_are_passed_verbatim),
        cmocka_unit_test(stdin_and_stdout_are_dev_null),
        cmocka_unit_test(no_other_descriptor_is_inherited),
        cmocka_unit_test(a_timeout_kills_the_program_and_what_it_started),
        cmocka_unit_test(a_background_process_holding_stderr_does_not_delay_the_result),
        cmocka_unit_test(exit_codes_signals_and_stderr_are_reported),
        cmocka_unit_test(signal_mask_and_dispositions_are_reset),
        cmocka_unit_test(an_exit_status_that_cannot_be_known_is_an_error),
        cmocka_unit_test(megabytes_on_stderr_keep_one_kib_and_never_block),
        cmocka_unit_test(several_threads_run_programs_at_once),
        cmocka_unit_test(a_malformed_spec_is_refused_and_nothing_runs),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
