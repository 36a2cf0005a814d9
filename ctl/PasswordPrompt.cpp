#include "ctl/PasswordPrompt.h"

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <iterator>
#include <termios.h>
#include <unistd.h>

#include "common/FlowProtocol.h"

namespace recoveryd::ctl {
namespace {

// Signals whose default action ends the process, and those that stop it.
// While echo is off, each first puts the terminal back as it was.
constexpr int kEndingSignals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE, SIGALRM, SIGUSR1, SIGUSR2};
constexpr int kStopSignals[] = {SIGTSTP, SIGTTIN, SIGTTOU};
constexpr std::size_t kHandledCount = std::size(kEndingSignals) + std::size(kStopSignals);

// What the signal handlers read. Written only while no handler is installed
// (one EchoOff at a time), so they need no locking.
struct termios g_saved_termios;
struct termios g_quiet_termios;
const char* g_prompt = nullptr;
std::size_t g_prompt_size = 0;

bool in_foreground() {
    const pid_t group = tcgetpgrp(STDIN_FILENO);
    return group == -1 || group == getpgrp();  // -1: not our controlling terminal, no job control
}

// Async-signal-safe code only, from here to the end of on_stop_signal.
extern "C" void on_ending_signal(int sig) {
    // TCSAFLUSH: a half-typed password must not reach the shell.
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &g_saved_termios);
    signal(sig, SIG_DFL);
    raise(sig);  // blocked until this handler returns; then the default action ends the process
}

void install_handler(int sig, void (*handler)(int)) {
    struct sigaction action {};
    action.sa_handler = handler;
    action.sa_flags = SA_RESTART;
    // Every handled signal waits while one is handled. SIGTTOU among them
    // also lets a handler restore the terminal from the background.
    sigemptyset(&action.sa_mask);
    for (int other : kEndingSignals)
        sigaddset(&action.sa_mask, other);
    for (int other : kStopSignals)
        sigaddset(&action.sa_mask, other);
    sigaction(sig, &action, nullptr);
}

extern "C" void on_stop_signal(int sig) {
    const int saved_errno = errno;
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &g_saved_termios);
    signal(sig, SIG_DFL);
    sigset_t self;
    sigemptyset(&self);
    sigaddset(&self, sig);
    sigprocmask(SIG_UNBLOCK, &self, nullptr);
    raise(sig);  // the process stops here, with echo on
    // Continued. In the background, a later read raises SIGTTIN and comes back here.
    sigprocmask(SIG_BLOCK, &self, nullptr);
    install_handler(sig, on_stop_signal);
    if (in_foreground()) {
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &g_quiet_termios);
        // The flush dropped anything typed before the stop: ask again.
        ssize_t ignored = write(STDERR_FILENO, "\n", 1);
        ignored = write(STDERR_FILENO, g_prompt, g_prompt_size);
        (void)ignored;
    }
    errno = saved_errno;
}

sigset_t handled_signals() {
    sigset_t set;
    sigemptyset(&set);
    for (int sig : kEndingSignals)
        sigaddset(&set, sig);
    for (int sig : kStopSignals)
        sigaddset(&set, sig);
    return set;
}

// Turns echo off for its lifetime and restores the terminal on every signal
// that ends or stops the process; after a stop, echo goes off again.
class EchoOff {
public:
    explicit EchoOff(std::string_view prompt) {
        if (tcgetattr(STDIN_FILENO, &g_saved_termios) != 0)
            return;
        g_quiet_termios = g_saved_termios;
        g_quiet_termios.c_lflag &= ~static_cast<tcflag_t>(ECHO);
        g_quiet_termios.c_lflag |= ECHONL;
        g_prompt = prompt.data();
        g_prompt_size = prompt.size();
        install_handlers();
        // From the background this raises SIGTTOU: the handler stops the
        // process and the call is made again once it is continued.
        active_ = tcsetattr(STDIN_FILENO, TCSAFLUSH, &g_quiet_termios) == 0;
    }
    ~EchoOff() {
        const sigset_t handled = handled_signals();
        sigset_t previous_mask;
        sigprocmask(SIG_BLOCK, &handled, &previous_mask);
        // Handlers first: a stop handler running after the restore would turn echo off again.
        for (std::size_t i = 0; i < installed_count_; ++i)
            sigaction(installed_[i].sig, &installed_[i].previous, nullptr);
        if (active_)
            tcsetattr(STDIN_FILENO, TCSAFLUSH, &g_saved_termios);
        g_prompt = nullptr;
        g_prompt_size = 0;
        sigprocmask(SIG_SETMASK, &previous_mask, nullptr);
    }
    EchoOff(const EchoOff&) = delete;
    EchoOff& operator=(const EchoOff&) = delete;

private:
    struct Installed {
        int sig = 0;
        struct sigaction previous {};
    };

    void install_handlers() {
        const sigset_t handled = handled_signals();
        sigset_t previous_mask;
        sigprocmask(SIG_BLOCK, &handled, &previous_mask);
        for (int sig : kEndingSignals)
            install(sig, on_ending_signal);
        for (int sig : kStopSignals)
            install(sig, on_stop_signal);
        sigprocmask(SIG_SETMASK, &previous_mask, nullptr);
    }

    void install(int sig, void (*handler)(int)) {
        Installed& slot = installed_[installed_count_];
        if (sigaction(sig, nullptr, &slot.previous) != 0 || slot.previous.sa_handler == SIG_IGN)
            return;  // a signal ignored by whoever started us (nohup) stays ignored
        slot.sig = sig;
        install_handler(sig, handler);
        ++installed_count_;
    }

    bool active_ = false;
    Installed installed_[kHandledCount];
    std::size_t installed_count_ = 0;
};

Result<Secret> read_line() {
    char buffer[kMaxAnswerBytes + 2];
    const bool got = std::fgets(buffer, sizeof buffer, stdin) != nullptr;
    std::size_t length = got ? std::strlen(buffer) : 0;
    const bool complete = length > 0 && buffer[length - 1] == '\n';
    if (complete)
        --length;
    Result<Secret> result = make_error(ErrorCode::InvalidArgument, "no password given");
    if (got && !complete && !std::feof(stdin))
        result = make_error(ErrorCode::InvalidArgument, "the password is too long");
    else if (length > 0)
        result = Secret(std::string_view(buffer, length));
    wipe_memory(buffer, sizeof buffer);
    return result;
}

}  // namespace

Result<Secret> read_password(std::string_view prompt) {
    // Unbuffered: the password must not linger in stdio's buffer, which
    // nothing wipes.
    std::setvbuf(stdin, nullptr, _IONBF, 0);
    if (!isatty(STDIN_FILENO))
        return read_line();
    EchoOff echo_off(prompt);  // before the prompt: nothing typed after it may show
    std::fprintf(stderr, "%.*s", static_cast<int>(prompt.size()), prompt.data());
    std::fflush(stderr);
    return read_line();
}

}  // namespace recoveryd::ctl
