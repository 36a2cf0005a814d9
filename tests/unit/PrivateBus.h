#pragma once
// A dbus-daemon of the test's own (session configuration, a socket in a
// temporary directory), named by DBUS_SYSTEM_BUS_ADDRESS for the code under
// test that opens "the system bus". Killed with the test.

#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>

#include "tests/unit/TestFiles.h"
#include "tests/unit/UnitTest.h"

class PrivateBus {
public:
    PrivateBus() {
        int address_pipe[2];
        assert_int_equal(pipe2(address_pipe, O_CLOEXEC), 0);
        pid_ = fork();
        assert_true(pid_ >= 0);
        if (pid_ == 0) {
            prctl(PR_SET_PDEATHSIG, SIGKILL);  // no stray bus if the test dies
            dup2(address_pipe[1], 3);
            const std::string listen = "--address=unix:path=" + (dir_ / "bus").string();
            execlp("dbus-daemon", "dbus-daemon", "--session", "--nofork", "--nopidfile", listen.c_str(),
                   "--print-address=3", static_cast<char*>(nullptr));
            _exit(127);
        }
        close(address_pipe[1]);
        char c = 0;
        while (read(address_pipe[0], &c, 1) == 1 && c != '\n')
            address_ += c;
        close(address_pipe[0]);
        assert_false(address_.empty());
        setenv("DBUS_SYSTEM_BUS_ADDRESS", address_.c_str(), 1);
    }
    ~PrivateBus() {
        kill(pid_, SIGTERM);
        waitpid(pid_, nullptr, 0);
    }
    PrivateBus(const PrivateBus&) = delete;
    PrivateBus& operator=(const PrivateBus&) = delete;

    const std::string& address() const { return address_; }

private:
    TempDir dir_{"private-bus"};
    pid_t pid_ = -1;
    std::string address_;
};
