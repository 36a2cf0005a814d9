#include "daemon/store/CleanClose.h"

#include <cerrno>
#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <string>
#include <sys/stat.h>
#include <unistd.h>

#include "common/UniqueFd.h"

namespace recoveryd {
namespace {

std::filesystem::path record_path(const std::filesystem::path& database) {
    return database.string() + ".closed";
}

// One line; a record that does not parse is no record.
std::string describe(const struct stat& st) {
    char line[256];
    std::snprintf(line, sizeof line, "%ju %ju %jd %jd.%09ld %jd.%09ld\n", static_cast<std::uintmax_t>(st.st_dev),
                  static_cast<std::uintmax_t>(st.st_ino), static_cast<std::intmax_t>(st.st_size),
                  static_cast<std::intmax_t>(st.st_mtim.tv_sec), st.st_mtim.tv_nsec,
                  static_cast<std::intmax_t>(st.st_ctim.tv_sec), st.st_ctim.tv_nsec);
    return line;
}

bool after(const struct timespec& a, const struct timespec& b) {
    return a.tv_sec > b.tv_sec || (a.tv_sec == b.tv_sec && a.tv_nsec > b.tv_nsec);
}

// Kernels before 6.13 stamp files from their coarse clock, which moves a
// tick (a few ms) at a time: a write in the tick of the record would keep
// the recorded ctime. Waiting for the next tick makes every later change
// show. (Newer kernels stamp a change after a stat finely.) false when the
// clock is still not past it after 50 ms: it was set back, and a record
// made now could match a later change.
bool wait_past(const struct timespec& ctime) {
    for (int waited = 0; waited <= 50; ++waited) {
        struct timespec now {};
        if (clock_gettime(CLOCK_REALTIME_COARSE, &now) != 0)
            return false;
        if (after(now, ctime))
            return true;
        const struct timespec millisecond {0, 1000000};
        nanosleep(&millisecond, nullptr);
    }
    return false;
}

Error record_error(const std::filesystem::path& path, const char* doing) {
    return make_error(ErrorCode::Io, path.string() + ": cannot " + doing + ": " + std::strerror(errno));
}

}  // namespace

Result<void> record_clean_close(const std::filesystem::path& database) {
    struct stat st {};
    if (::lstat(database.c_str(), &st) != 0)
        return record_error(database, "look at the closed database");
    // Without a record the next start reads every page; an older record
    // matches only a file nothing changed since, so it may stay.
    if (!wait_past(st.st_ctim))
        return make_error(ErrorCode::Io,
                          database.string() + ": its change time is ahead of the clock (set back?); not recorded");
    const std::string line = describe(st);
    const auto path = record_path(database);
    const std::filesystem::path temp = path.string() + ".new";
    ::unlink(temp.c_str());
    UniqueFd fd(::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
    if (!fd.valid())
        return record_error(temp, "create");
    // No fsync: a record lost in a crash only costs the next start a full read.
    if (::write(fd.get(), line.data(), line.size()) != static_cast<ssize_t>(line.size()) || fd.close() != 0 ||
        ::rename(temp.c_str(), path.c_str()) != 0) {
        const int saved = errno;
        ::unlink(temp.c_str());
        errno = saved;
        return record_error(path, "write");
    }
    return {};
}

bool unchanged_since_clean_close(const std::filesystem::path& database) {
    UniqueFd fd(::open(record_path(database).c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
    struct stat st {};
    if (!fd.valid() || ::lstat(database.c_str(), &st) != 0)
        return false;
    const std::string expected = describe(st);
    std::string recorded(expected.size() + 1, '\0');
    const ssize_t n = ::read(fd.get(), recorded.data(), recorded.size());
    return n == static_cast<ssize_t>(expected.size()) && recorded.compare(0, expected.size(), expected) == 0;
}

}  // namespace recoveryd
