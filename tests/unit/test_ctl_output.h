#pragma once
// For recoveryctl's unit tests: what a command printed, and where.

#include "tests/unit/TestFiles.h"
#include "tests/unit/UnitTest.h"

#include <cstdio>
#include <fcntl.h>
#include <string>
#include <unistd.h>

struct Captured {
    int code = -1;
    std::string out;
    std::string err;
};

// Runs `body` with stdout and stderr sent to files of their own.
template <typename Body>
Captured capture_output(Body body) {
    TempDir dir{"ctl-output"};
    std::fflush(stdout);
    std::fflush(stderr);
    const int saved_out = dup(STDOUT_FILENO);
    const int saved_err = dup(STDERR_FILENO);
    const int out = open((dir / "out").c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
    const int err = open((dir / "err").c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
    assert_true(saved_out >= 0 && saved_err >= 0 && out >= 0 && err >= 0);
    dup2(out, STDOUT_FILENO);
    dup2(err, STDERR_FILENO);
    Captured result;
    result.code = body();
    std::fflush(stdout);
    std::fflush(stderr);
    dup2(saved_out, STDOUT_FILENO);
    dup2(saved_err, STDERR_FILENO);
    for (int fd : {saved_out, saved_err, out, err})
        close(fd);
    result.out = read_file_bytes(dir / "out");
    result.err = read_file_bytes(dir / "err");
    return result;
}

inline bool contains(const std::string& text, const std::string& needle) {
    return text.find(needle) != std::string::npos;
}

// A system bus that is not there: a command that gets as far as calling
// ends with kExitUnavailable, so another code shows it stopped before.
inline void use_absent_bus() {
    setenv("DBUS_SYSTEM_BUS_ADDRESS", "unix:path=/nonexistent/recoveryd-test-bus", 1);
}
