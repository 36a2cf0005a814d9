// Unit tests for ctl/PasswordPrompt at a terminal (a pseudo-terminal here):
// the password is read with echo off, and every signal that ends or stops
// recoveryctl first gives the terminal its settings back; after a stop, echo
// goes off again. Each case reads in a child process that the test signals.
#include "tests/unit/UnitTest.h"

#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <string>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "ctl/PasswordPrompt.h"

namespace {

constexpr const char* kPassword = "correct horse";

// A pseudo-terminal; the test reads the slave's settings.
class Pty {
public:
    Pty() {
        master_ = posix_openpt(O_RDWR | O_NOCTTY);
        assert_true(master_ >= 0);
        assert_int_equal(grantpt(master_), 0);
        assert_int_equal(unlockpt(master_), 0);
        char name[64];
        assert_int_equal(ptsname_r(master_, name, sizeof name), 0);
        slave_ = open(name, O_RDWR | O_NOCTTY);
        assert_true(slave_ >= 0);
    }
    ~Pty() {
        close(slave_);
        close(master_);
    }
    Pty(const Pty&) = delete;
    Pty& operator=(const Pty&) = delete;

    int master() const { return master_; }
    int slave() const { return slave_; }

    bool echo_is_on() const {
        struct termios settings {};
        assert_int_equal(tcgetattr(slave_, &settings), 0);
        return (settings.c_lflag & ECHO) != 0;
    }

    // Waits (10 s at most: a generous bound, never the measure) for the child's change.
    void await_echo(bool on) const {
        for (int i = 0; i < 1000; ++i) {
            if (echo_is_on() == on)
                return;
            usleep(10 * 1000);
        }
        fail_msg("echo never turned %s", on ? "on" : "off");
    }

    void type(const char* line) const {
        const std::string text = std::string(line) + "\n";
        assert_int_equal(write(master_, text.data(), text.size()), static_cast<ssize_t>(text.size()));
    }

    // What the terminal showed so far.
    std::string screen() const {
        const int flags = fcntl(master_, F_GETFL);
        fcntl(master_, F_SETFL, flags | O_NONBLOCK);
        std::string text;
        char buffer[256];
        ssize_t n = 0;
        while ((n = read(master_, buffer, sizeof buffer)) > 0)
            text.append(buffer, static_cast<std::size_t>(n));
        fcntl(master_, F_SETFL, flags);
        return text;
    }

private:
    int master_ = -1;
    int slave_ = -1;
};

// The child: the terminal as stdin and stderr, in a process group of its own
// (so that stop signals stop it), no core dumps, gone when the test is (also
// after a failed assertion). Exits 0 iff it read kPassword.
[[noreturn]] void read_password_at(const Pty& pty, int ignored_signal = 0) {
    prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
    setpgid(0, 0);
    const struct rlimit no_core {0, 0};
    setrlimit(RLIMIT_CORE, &no_core);
    if (ignored_signal != 0)
        signal(ignored_signal, SIG_IGN);
    dup2(pty.slave(), STDIN_FILENO);
    dup2(pty.slave(), STDERR_FILENO);
    auto password = recoveryd::ctl::read_password("Password: ");
    _exit(password && password->view() == kPassword ? 0 : 1);
}

pid_t start_reading(const Pty& pty, int ignored_signal = 0) {
    assert_true(pty.echo_is_on());
    const pid_t child = fork();
    assert_true(child >= 0);
    if (child == 0)
        read_password_at(pty, ignored_signal);
    pty.await_echo(false);
    return child;
}

int wait_for(pid_t child, int options = 0) {
    int status = 0;
    assert_int_equal(waitpid(child, &status, options), child);
    return status;
}

void reads_with_echo_off_then_restores(void**) {
    Pty pty;
    const pid_t child = start_reading(pty);
    pty.type(kPassword);
    const int status = wait_for(child);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    assert_true(pty.echo_is_on());
    const std::string screen = pty.screen();
    assert_non_null(std::strstr(screen.c_str(), "Password: "));
    assert_null(std::strstr(screen.c_str(), kPassword));
}

void every_ending_signal_restores_echo(void**) {
    for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE, SIGALRM, SIGUSR1, SIGUSR2}) {
        Pty pty;
        const pid_t child = start_reading(pty);
        assert_int_equal(kill(child, sig), 0);
        const int status = wait_for(child);
        if (!WIFSIGNALED(status) || WTERMSIG(status) != sig)
            fail_msg("signal %s: the child did not end by it (status %#x)", strsignal(sig), status);
        if (!pty.echo_is_on())
            fail_msg("signal %s: echo is still off", strsignal(sig));
    }
}

void every_stop_signal_restores_echo_until_continued(void**) {
    for (int sig : {SIGTSTP, SIGTTIN, SIGTTOU}) {
        Pty pty;
        const pid_t child = start_reading(pty);
        assert_int_equal(kill(child, sig), 0);
        const int stopped = wait_for(child, WUNTRACED);
        if (!WIFSTOPPED(stopped) || WSTOPSIG(stopped) != sig)
            fail_msg("signal %s: the child did not stop by it (status %#x)", strsignal(sig), stopped);
        if (!pty.echo_is_on())
            fail_msg("signal %s: echo is off while stopped", strsignal(sig));

        assert_int_equal(kill(child, SIGCONT), 0);
        pty.await_echo(false);
        pty.type(kPassword);
        const int status = wait_for(child);
        assert_true(WIFEXITED(status));
        assert_int_equal(WEXITSTATUS(status), 0);
        assert_true(pty.echo_is_on());
        assert_null(std::strstr(pty.screen().c_str(), kPassword));
    }
}

void a_signal_ignored_at_start_stays_ignored(void**) {
    Pty pty;
    const pid_t child = start_reading(pty, SIGHUP);  // as under nohup
    assert_int_equal(kill(child, SIGHUP), 0);
    pty.type(kPassword);
    const int status = wait_for(child);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    assert_true(pty.echo_is_on());
}

}  // namespace

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(reads_with_echo_off_then_restores),
        cmocka_unit_test(every_ending_signal_restores_echo),
        cmocka_unit_test(every_stop_signal_restores_echo_until_continued),
        cmocka_unit_test(a_signal_ignored_at_start_stays_ignored),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
