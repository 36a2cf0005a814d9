// journal-sink: stands in for journald inside the sandbox (whose /run is
// private): binds an AF_UNIX datagram socket where sd_journal_sendv sends,
// and prints every entry that arrives, in journald's native protocol, for
// the audit journal tests to read.
//
//   journal-sink [--socket PATH]      default /run/systemd/journal/socket
//
// Each entry: its fields one per line, "NAME=value", then an empty line.
// In values, '\' is "\\", a newline "\n" and other control bytes "\xNN", so
// an entry's lines cannot be forged by its values. A large entry that
// libsystemd passes as a memfd (SCM_RIGHTS) is read from it. Runs until
// killed; the socket file is left behind, as journald's is when it dies.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>
#include <string_view>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <vector>

#include "common/UniqueFd.h"

using namespace recoveryd;

namespace {

[[noreturn]] void die(const std::string& what) {
    std::fprintf(stderr, "journal-sink: %s: %s\n", what.c_str(), std::strerror(errno));
    std::exit(1);
}

UniqueFd bind_socket(const std::string& path) {
    std::filesystem::create_directories(std::filesystem::path(path).parent_path());
    std::filesystem::remove(path);
    UniqueFd fd(socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0));
    if (!fd.valid())
        die("socket");
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    if (path.size() >= sizeof address.sun_path)
        die("path too long");
    std::memcpy(address.sun_path, path.c_str(), path.size() + 1);
    if (bind(fd.get(), reinterpret_cast<const sockaddr*>(&address), sizeof address) < 0)
        die("bind " + path);
    chmod(path.c_str(), 0666);  // as journald's: anyone may log
    // Entries up to journald's own limit arrive whole.
    const int size = 8 * 1024 * 1024;
    setsockopt(fd.get(), SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof size);
    return fd;
}

std::string escaped(std::string_view value) {
    std::string out;
    for (const char c : value) {
        const auto byte = static_cast<unsigned char>(c);
        if (c == '\\')
            out += "\\\\";
        else if (c == '\n')
            out += "\\n";
        else if (byte < 0x20 || byte == 0x7f) {
            char hex[8];
            std::snprintf(hex, sizeof hex, "\\x%02x", byte);
            out += hex;
        } else {
            out += c;
        }
    }
    return out;
}

// journald's native protocol: "NAME=value\n", or for values that may hold a
// newline "NAME\n" + 64-bit little-endian length + value + "\n".
std::string format_entry(std::string_view data) {
    std::string out;
    while (!data.empty()) {
        const std::size_t end = data.find_first_of("=\n");
        if (end == std::string_view::npos)
            return out + "journal-sink: truncated field\n";
        const std::string_view name = data.substr(0, end);
        std::string_view value;
        if (data[end] == '=') {
            const std::size_t newline = std::min(data.find('\n', end), data.size());
            value = data.substr(end + 1, newline - end - 1);
            data.remove_prefix(std::min(newline + 1, data.size()));
        } else {
            if (data.size() < end + 1 + 8)
                return out + "journal-sink: truncated length\n";
            std::uint64_t length = 0;
            for (int i = 7; i >= 0; --i)
                length = (length << 8) | static_cast<unsigned char>(data[end + 1 + static_cast<std::size_t>(i)]);
            const std::size_t start = end + 1 + 8;
            if (data.size() < start + length + 1)
                return out + "journal-sink: truncated value\n";
            value = data.substr(start, length);
            data.remove_prefix(start + length + 1);
        }
        out += std::string(name) + "=" + escaped(value) + "\n";
    }
    return out;
}

// One datagram, or the memfd it carries.
std::string receive(int fd, std::vector<char>& buffer) {
    iovec io{buffer.data(), buffer.size()};
    alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))];
    msghdr message{};
    message.msg_iov = &io;
    message.msg_iovlen = 1;
    message.msg_control = control;
    message.msg_controllen = sizeof control;
    const ssize_t n = recvmsg(fd, &message, MSG_CMSG_CLOEXEC);
    if (n < 0)
        die("recvmsg");
    for (cmsghdr* c = CMSG_FIRSTHDR(&message); c != nullptr; c = CMSG_NXTHDR(&message, c)) {
        if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
            continue;
        int passed = -1;
        std::memcpy(&passed, CMSG_DATA(c), sizeof passed);
        const UniqueFd memfd(passed);
        std::string data;
        char chunk[65536];
        for (ssize_t got; (got = pread(memfd.get(), chunk, sizeof chunk, static_cast<off_t>(data.size()))) > 0;)
            data.append(chunk, static_cast<std::size_t>(got));
        return data;
    }
    return std::string(buffer.data(), static_cast<std::size_t>(n));
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"Receive journal entries on journald's native socket and print their fields"};
    std::string path = "/run/systemd/journal/socket";
    app.add_option("--socket", path, "Where to listen");
    CLI11_PARSE(app, argc, argv);

    const UniqueFd fd = bind_socket(path);
    std::vector<char> buffer(8 * 1024 * 1024);
    for (;;) {
        const std::string entry = format_entry(receive(fd.get(), buffer));
        std::fputs(entry.c_str(), stdout);
        std::fputs("\n", stdout);
        std::fflush(stdout);
    }
}
