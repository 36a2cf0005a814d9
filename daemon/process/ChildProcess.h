#pragma once
// Runs a program the daemon trusts (the notify hook), as root, directly
// (never through a shell), with a clean environment and a time limit. Called
// on a worker thread: it blocks until the program ends or its time is up.
// It keeps no global state, so several threads may run programs at once.

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "common/Result.h"

namespace recoveryd {

struct ProcessSpec {
    std::filesystem::path program;          // absolute; run directly, never through a shell
    std::vector<std::string> arguments;     // argv[1..]; argv[0] is program's file name
    std::vector<std::string> environment;   // "NAME=value", the whole environment (nothing inherited)
    std::chrono::milliseconds timeout;      // then the process group is killed (SIGKILL)
};

struct ProcessExit {
    enum class How { Exited, Signaled, TimedOut } how;
    // Exit code, or signal number. For TimedOut: how the program ended after
    // the kill (normally SIGKILL).
    int status;
    // The first <= 1 KiB the program wrote on stderr, as raw bytes: sanitize
    // before it reaches a log or a terminal.
    std::string stderr_head;
    bool succeeded() const;  // Exited with 0
    // stderr_head on one line, control characters replaced by spaces: for an
    // error message or an audit row.
    std::string stderr_line() const;
};

inline constexpr std::size_t kStderrHeadBytes = 1024;

// Starts spec.program in a process group of its own, stdin and stdout on
// /dev/null, stderr on a pipe drained while it runs, no other descriptor, signal
// mask and dispositions reset. Waits at most spec.timeout (monotonic clock),
// then kills the whole group. Programs it left running in the background are
// not waited for. An Error when the program could not be started
// (InvalidArgument for a malformed spec), or, rarely, when how it ended
// cannot be known (Internal: waiting failed, or SIGCHLD is ignored so the
// kernel reaped it); the program is not left running either way.
Result<ProcessExit> run_process(const ProcessSpec& spec);

}  // namespace recoveryd
