#pragma once
// A listening socket that never accepts while the client runs: the kernel
// completes connections into the backlog, and nothing ever answers (a
// stopped dbus-daemon looks like this). For the PAM module's bus tests.

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <string>

#include "common/UniqueFd.h"
#include "tests/unit/TestFiles.h"
#include "tests/unit/UnitTest.h"

class SilentBus {
public:
    SilentBus() {
        const std::string path = dir_ / "socket";
        fd_ = recoveryd::UniqueFd(socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
        struct sockaddr_un address {};
        address.sun_family = AF_UNIX;
        path.copy(address.sun_path, sizeof address.sun_path - 1);
        assert_int_equal(bind(fd_.get(), reinterpret_cast<const struct sockaddr*>(&address), sizeof address), 0);
        assert_int_equal(listen(fd_.get(), 64), 0);
        address_ = "unix:path=" + path;
    }
    SilentBus(const SilentBus&) = delete;
    SilentBus& operator=(const SilentBus&) = delete;

    const std::string& address() const { return address_; }

    // How many connections clients have made so far.
    int connections() {
        int count = 0;
        for (int fd; (fd = accept4(fd_.get(), nullptr, nullptr, SOCK_CLOEXEC)) >= 0; ++count)
            close(fd);
        return count;
    }

private:
    TempDir dir_{"unit-bus"};
    recoveryd::UniqueFd fd_;
    std::string address_;
};
