#include "daemon/process/ChildProcess.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>
// glibc 2.36's <sys/pidfd.h> lacks the extern "C" of its other headers (fixed in 2.37).
extern "C" {
#include <sys/pidfd.h>
}

#include <algorithm>
#include <cerrno>
#include <climits>
#include <set>
#include <string_view>
#include <system_error>

#include "common/UniqueFd.h"

namespace recoveryd {

std::string ProcessExit::stderr_line() const {
    std::string line = stderr_head;
    for (char& c : line)
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
            c = ' ';
    line.erase(line.find_last_not_of(' ') + 1);
    return line;
}

bool ProcessExit::succeeded() const {
    return how == How::Exited && status == 0;
}

namespace {

using Clock = std::chrono::steady_clock;  // CLOCK_MONOTONIC: moving the wall clock changes nothing
constexpr std::chrono::milliseconds kMaxTimeout = std::chrono::hours(24);

std::string errno_text(int error) {
    return std::generic_category().message(error);  // strerror is not thread-safe
}

Error invalid(std::string message) {
    return make_error(ErrorCode::InvalidArgument, std::move(message));
}

bool has_nul(std::string_view text) {
    return text.find('\0') != std::string_view::npos;
}

// Portable variable names, as POSIX shells accept them.
bool is_variable_name(std::string_view name) {
    if (name.empty() || (name[0] >= '0' && name[0] <= '9'))
        return false;
    return std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    });
}

Result<void> validate_environment(const std::vector<std::string>& environment) {
    std::set<std::string_view> names;
    for (const auto& entry : environment) {
        const std::string_view text = entry;
        const auto equals = text.find('=');
        if (equals == std::string_view::npos || !is_variable_name(text.substr(0, equals)))
            return invalid("environment entries must have the form NAME=value");
        if (has_nul(text))
            return invalid("environment values must not contain NUL");
        // Two values for one name: which one a program sees depends on it.
        if (!names.insert(text.substr(0, equals)).second)
            return invalid("environment variable " + std::string(text.substr(0, equals)) + " is given twice");
    }
    return {};
}

Result<void> validate_spec(const ProcessSpec& spec) {
    const std::string& program = spec.program.native();
    if (!spec.program.is_absolute() || has_nul(program) || !spec.program.has_filename())
        return invalid("the program to run must be an absolute path to a file");
    if (std::any_of(spec.arguments.begin(), spec.arguments.end(), [](const auto& a) { return has_nul(a); }))
        return invalid("program arguments must not contain NUL");
    // Bounded so the deadline cannot overflow the clock.
    if (spec.timeout <= std::chrono::milliseconds::zero() || spec.timeout > kMaxTimeout)
        return invalid("the program's time limit must be positive and at most a day");
    return validate_environment(spec.environment);
}

class SpawnActions {
public:
    SpawnActions() { ok_ = posix_spawn_file_actions_init(&actions_) == 0; }
    ~SpawnActions() {
        if (ok_)
            posix_spawn_file_actions_destroy(&actions_);
    }
    SpawnActions(const SpawnActions&) = delete;
    SpawnActions& operator=(const SpawnActions&) = delete;

    // stdin and stdout on /dev/null, stderr on `stderr_fd`, nothing else open.
    bool set_up(int stderr_fd) {
        return ok_ && posix_spawn_file_actions_addopen(&actions_, 0, "/dev/null", O_RDONLY, 0) == 0 &&
               posix_spawn_file_actions_addopen(&actions_, 1, "/dev/null", O_WRONLY, 0) == 0 &&
               posix_spawn_file_actions_adddup2(&actions_, stderr_fd, 2) == 0 &&
               posix_spawn_file_actions_addclosefrom_np(&actions_, 3) == 0;
    }
    const posix_spawn_file_actions_t* get() const { return &actions_; }

private:
    posix_spawn_file_actions_t actions_;
    bool ok_ = false;
};

class SpawnAttributes {
public:
    SpawnAttributes() { ok_ = posix_spawnattr_init(&attributes_) == 0; }
    ~SpawnAttributes() {
        if (ok_)
            posix_spawnattr_destroy(&attributes_);
    }
    SpawnAttributes(const SpawnAttributes&) = delete;
    SpawnAttributes& operator=(const SpawnAttributes&) = delete;

    // The daemon blocks SIGTERM and SIGINT for sd-event: the child starts
    // with nothing blocked and every signal at its default, in a process
    // group of its own (pgid = its pid) so a kill reaches what it started.
    bool set_up() {
        sigset_t none;
        sigset_t all;
        sigemptyset(&none);
        sigfillset(&all);
        return ok_ && posix_spawnattr_setsigmask(&attributes_, &none) == 0 &&
               posix_spawnattr_setsigdefault(&attributes_, &all) == 0 &&
               posix_spawnattr_setpgroup(&attributes_, 0) == 0 &&
               posix_spawnattr_setflags(&attributes_,
                                        POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP) == 0;
    }
    const posix_spawnattr_t* get() const { return &attributes_; }

private:
    posix_spawnattr_t attributes_;
    bool ok_ = false;
};

struct StderrPipe {
    UniqueFd read_end;   // ours, non-blocking
    UniqueFd write_end;  // the child's stderr; blocking, as a program expects
};

Result<StderrPipe> make_stderr_pipe() {
    int fds[2];
    // O_CLOEXEC: a program another thread starts meanwhile must not get it.
    if (pipe2(fds, O_CLOEXEC) != 0)
        return make_error(ErrorCode::Io, "could not create a pipe: " + errno_text(errno));
    StderrPipe pipe{UniqueFd(fds[0]), UniqueFd(fds[1])};
    const int flags = fcntl(pipe.read_end.get(), F_GETFL);
    if (flags < 0 || fcntl(pipe.read_end.get(), F_SETFL, flags | O_NONBLOCK) != 0)
        return make_error(ErrorCode::Io, "could not set up a pipe: " + errno_text(errno));
    return pipe;
}

Result<pid_t> spawn(const ProcessSpec& spec, int stderr_fd) {
    SpawnActions actions;
    SpawnAttributes attributes;
    if (!actions.set_up(stderr_fd) || !attributes.set_up())
        return make_error(ErrorCode::Internal, "could not prepare to run " + spec.program.native());

    std::vector<std::string> strings;
    strings.reserve(1 + spec.arguments.size() + spec.environment.size());
    strings.push_back(spec.program.filename().native());
    strings.insert(strings.end(), spec.arguments.begin(), spec.arguments.end());
    strings.insert(strings.end(), spec.environment.begin(), spec.environment.end());
    std::vector<char*> argv;
    std::vector<char*> envp;
    for (std::size_t i = 0; i < strings.size(); ++i)
        (i <= spec.arguments.size() ? argv : envp).push_back(strings[i].data());
    argv.push_back(nullptr);
    envp.push_back(nullptr);

    pid_t pid = -1;
    const int error = posix_spawn(&pid, spec.program.c_str(), actions.get(), attributes.get(), argv.data(), envp.data());
    if (error != 0)
        return make_error(error == ENOENT ? ErrorCode::NotFound : ErrorCode::Io,
                          "could not run " + spec.program.native() + ": " + errno_text(error));
    return pid;
}

// Keeps the first kStderrHeadBytes of what is read, discards the rest.
class StderrHead {
public:
    enum class State { Open, Closed };

    // One read, so a program writing without pause cannot hold us past the
    // deadline.
    State read_once(int fd) {
        char buffer[65536];
        for (;;) {
            const ssize_t n = ::read(fd, buffer, sizeof buffer);
            if (n > 0) {
                keep(buffer, static_cast<std::size_t>(n));
                return State::Open;
            }
            if (n < 0 && errno == EINTR)
                continue;
            if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
                return State::Open;
            return State::Closed;  // end of file, or an error: stop reading
        }
    }

    // What is left after the program ended, bounded: something it left in
    // the background may still hold the pipe and write.
    void read_rest(int fd) {
        for (int reads = 0; reads < 16; ++reads) {
            const std::size_t before = total_;
            if (read_once(fd) == State::Closed || total_ == before)
                return;
        }
    }

    std::string take() { return std::move(head_); }

private:
    void keep(const char* data, std::size_t size) {
        total_ += size;
        const std::size_t room = kStderrHeadBytes - std::min(head_.size(), kStderrHeadBytes);
        head_.append(data, std::min(room, size));
    }

    std::string head_;
    std::size_t total_ = 0;
};

int poll_timeout_ms(Clock::time_point deadline) {
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now());
    return static_cast<int>(std::clamp<std::chrono::milliseconds::rep>(left.count(), 0, INT_MAX));
}

enum class Ending { Exited, DeadlinePassed, PollFailed };

// Drains stderr until the process exits or the deadline passes.
Ending wait_for_exit(int pidfd, int stderr_fd, Clock::time_point deadline, StderrHead& head) {
    bool stderr_open = true;
    for (;;) {
        const int timeout_ms = poll_timeout_ms(deadline);
        if (timeout_ms == 0)
            return Ending::DeadlinePassed;
        pollfd fds[2] = {{pidfd, POLLIN, 0}, {stderr_open ? stderr_fd : -1, POLLIN, 0}};
        const int ready = poll(fds, 2, timeout_ms);
        if (ready < 0 && errno == EINTR)
            continue;
        if (ready < 0)
            return Ending::PollFailed;
        if (fds[1].revents != 0 && head.read_once(stderr_fd) == StderrHead::State::Closed)
            stderr_open = false;
        if (fds[0].revents != 0)
            return Ending::Exited;
    }
}

// The whole group: the program and whatever it started. The pidfd also
// reaches the program should it have left its group.
void kill_group(pid_t pid, int pidfd) {
    ::kill(-pid, SIGKILL);
    if (pidfd >= 0)
        pidfd_send_signal(pidfd, SIGKILL, nullptr, 0);
}

// Fails only when someone else reaped it (SIGCHLD ignored): then how it
// ended is unknown, which is not a success.
bool reap(pid_t pid, int& status) {
    for (;;) {
        if (waitpid(pid, &status, 0) == pid)
            return true;
        if (errno != EINTR)
            return false;
    }
}

ProcessExit exit_of(int wait_status, bool timed_out, std::string stderr_head) {
    ProcessExit result{ProcessExit::How::Exited, 0, std::move(stderr_head)};
    if (WIFEXITED(wait_status)) {
        result.status = WEXITSTATUS(wait_status);
    } else {
        result.how = ProcessExit::How::Signaled;
        result.status = WTERMSIG(wait_status);
    }
    if (timed_out)
        result.how = ProcessExit::How::TimedOut;
    return result;
}

}  // namespace

Result<ProcessExit> run_process(const ProcessSpec& spec) {
    if (auto valid = validate_spec(spec); !valid)
        return valid.error();
    auto pipe = make_stderr_pipe();
    if (!pipe)
        return pipe.error();
    const auto deadline = Clock::now() + spec.timeout;
    const auto pid = spawn(spec, pipe->write_end.get());
    if (!pid)
        return pid.error();
    pipe->write_end.close();  // the child holds it now; ours would keep the pipe from ending

    const UniqueFd pidfd(pidfd_open(*pid, 0));
    if (!pidfd.valid()) {
        const int error = errno;
        kill_group(*pid, -1);
        int ignored = 0;
        reap(*pid, ignored);
        return make_error(ErrorCode::Internal, "could not watch " + spec.program.native() + ": " + errno_text(error));
    }
    StderrHead head;
    const Ending ending = wait_for_exit(pidfd.get(), pipe->read_end.get(), deadline, head);
    if (ending != Ending::Exited)
        kill_group(*pid, pidfd.get());
    int status = 0;
    const bool reaped = reap(*pid, status);
    head.read_rest(pipe->read_end.get());
    if (ending == Ending::PollFailed)
        return make_error(ErrorCode::Internal, "could not wait for " + spec.program.native() + "; it was stopped");
    if (!reaped)
        return make_error(ErrorCode::Internal, "could not learn how " + spec.program.native() + " ended");
    return exit_of(status, ending == Ending::DeadlinePassed, head.take());
}

}  // namespace recoveryd
