#include "ctl/PasswordPrompt.h"

#include <csignal>
#include <cstdio>
#include <cstring>
#include <termios.h>
#include <unistd.h>

#include "common/FlowProtocol.h"

namespace recoveryd::ctl {
namespace {

// The terminal settings to restore if the user presses Ctrl-C mid-prompt.
struct termios g_saved_termios;

void restore_terminal_and_die(int sig) {
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &g_saved_termios);
    signal(sig, SIG_DFL);
    raise(sig);
}

// Turns echo off for its lifetime, also across SIGINT/SIGTERM.
class EchoOff {
public:
    EchoOff() {
        if (tcgetattr(STDIN_FILENO, &g_saved_termios) != 0)
            return;
        struct termios quiet = g_saved_termios;
        quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
        quiet.c_lflag |= ECHONL;
        signal(SIGINT, restore_terminal_and_die);
        signal(SIGTERM, restore_terminal_and_die);
        active_ = tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet) == 0;
    }
    ~EchoOff() {
        if (active_)
            tcsetattr(STDIN_FILENO, TCSAFLUSH, &g_saved_termios);
        signal(SIGINT, SIG_DFL);
        signal(SIGTERM, SIG_DFL);
    }
    EchoOff(const EchoOff&) = delete;
    EchoOff& operator=(const EchoOff&) = delete;

private:
    bool active_ = false;
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
    std::fprintf(stderr, "%.*s", static_cast<int>(prompt.size()), prompt.data());
    std::fflush(stderr);
    EchoOff echo_off;
    return read_line();
}

}  // namespace recoveryd::ctl
