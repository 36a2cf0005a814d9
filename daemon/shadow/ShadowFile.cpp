#include "daemon/shadow/ShadowFile.h"

#include <algorithm>
#include <cerrno>
#include <dirent.h>
#include <fcntl.h>
#include <memory>
#include <mutex>
#include <stdlib.h>
#include <sys/stat.h>
#include <system_error>
#include <thread>

#include "common/Secret.h"
#include "common/UniqueFd.h"
#include "daemon/shadow/PasswordHasher.h"

namespace recoveryd {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

// strerror may share a buffer between threads; this does not.
Error io_error(const fs::path& path, std::string_view step) {
    return make_error(ErrorCode::Io, path.string() + ": " + std::string(step) +
                                         " failed: " + std::generic_category().message(errno));
}

struct FileContents {
    SensitiveString text;
    struct stat st {};
};

// Reads straight into the wiped string: no other buffer ever holds the text.
Result<SensitiveString> read_all(int fd, const fs::path& path, std::size_t size_hint) {
    constexpr std::size_t kChunk = 65536;
    SensitiveString text;
    text.reserve(size_hint + kChunk);
    for (std::size_t used = 0;;) {
        text.resize(used + kChunk);
        ssize_t n = read(fd, text.data() + used, kChunk);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return io_error(path, "read");
        if (n == 0) {
            text.resize(used);
            return text;
        }
        used += static_cast<std::size_t>(n);
    }
}

Result<FileContents> read_file(const fs::path& path) {
    UniqueFd fd(open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
    if (!fd.valid())
        return io_error(path, "open");
    FileContents contents;
    if (fstat(fd.get(), &contents.st) != 0)
        return io_error(path, "stat");
    if (!S_ISREG(contents.st.st_mode))
        return make_error(ErrorCode::Corrupt, path.string() + " is not a regular file");
    auto text = read_all(fd.get(), path, static_cast<std::size_t>(contents.st.st_size));
    if (!text)
        return text.error();
    contents.text = std::move(*text);
    return contents;
}

Result<void> write_all(int fd, std::string_view data, const fs::path& path) {
    while (!data.empty()) {
        ssize_t n = write(fd, data.data(), data.size());
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return io_error(path, "write");
        data.remove_prefix(static_cast<std::size_t>(n));
    }
    return {};
}

// fcntl locks belong to the whole process: a second thread would "get" the
// lock its sibling holds, and closing any descriptor of the file drops it.
// So one mutex serializes every rewrite in the process, of every ShadowFile.
std::timed_mutex& rewrite_mutex() {
    static std::timed_mutex mutex;
    return mutex;
}

constexpr auto kLockPollInterval = std::chrono::milliseconds(75);

Error lock_busy_error() {
    return make_error(ErrorCode::Unavailable,
                      "the password database is locked by another program; try again in a minute");
}

// The lock lckpwdf(3) takes, taken directly: a write lock (fcntl, whole
// file) on /etc/.pwd.lock, so shadow-utils, passwd and pam_unix wait for us
// and we for them. lckpwdf itself waits with alarm()/SIGALRM, which a
// threaded daemon cannot rely on, and fails when this process holds it.
class PasswordDatabaseLock {
public:
    static Result<PasswordDatabaseLock> acquire(const fs::path& lock_path, std::chrono::milliseconds timeout) {
        const auto deadline = Clock::now() + timeout;
        std::unique_lock<std::timed_mutex> in_process(rewrite_mutex(), std::defer_lock);
        if (!in_process.try_lock_until(deadline))
            return make_error(ErrorCode::Unavailable,
                              "the password database is busy with another change; try again in a minute");
        if (lock_path.empty())
            return PasswordDatabaseLock(std::move(in_process), UniqueFd());
        auto file = open_lock_file(lock_path);
        if (!file)
            return file.error();
        if (auto locked = lock_until(file->get(), lock_path, deadline); !locked)
            return locked.error();
        return PasswordDatabaseLock(std::move(in_process), std::move(*file));
    }

private:
    PasswordDatabaseLock(std::unique_lock<std::timed_mutex> in_process, UniqueFd file)
        : in_process_(std::move(in_process)), file_(std::move(file)) {}

    // As glibc opens it, but never through a symlink; O_NONBLOCK so that a
    // FIFO put there cannot hang us (refused below).
    static Result<UniqueFd> open_lock_file(const fs::path& path) {
        UniqueFd fd(open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK, 0600));
        if (!fd.valid())
            return io_error(path, "open");
        struct stat st {};
        if (fstat(fd.get(), &st) != 0)
            return io_error(path, "stat");
        if (!S_ISREG(st.st_mode))
            return make_error(ErrorCode::Corrupt, path.string() + " is not a regular file");
        return fd;
    }

    static Result<void> lock_until(int fd, const fs::path& path, Clock::time_point deadline) {
        struct flock whole_file {};
        whole_file.l_type = F_WRLCK;
        whole_file.l_whence = SEEK_SET;
        for (;;) {
            if (fcntl(fd, F_SETLK, &whole_file) == 0)
                return {};
            if (errno == EINTR)
                continue;
            if (errno != EACCES && errno != EAGAIN)
                return io_error(path, "lock");
            const auto now = Clock::now();
            if (now >= deadline)
                return lock_busy_error();
            std::this_thread::sleep_for(std::min<Clock::duration>(kLockPollInterval, deadline - now));
        }
    }

    // Destroyed in reverse: the file (and its lock) first, then the mutex.
    std::unique_lock<std::timed_mutex> in_process_;
    UniqueFd file_;
};

// The name prefix of a rewrite's temp file beside `target`; six characters
// from mkstemp follow it.
std::string temp_file_prefix(const fs::path& target) {
    return "." + target.filename().string() + ".recoveryd-";
}

// One rewrite of one file: a new file beside it, made whole and checked
// before it replaces the old one by rename(2).
class Rewrite {
public:
    // `label` prefixes the step names the fault hook sees: "backup:write".
    Rewrite(const ShadowFile::Options& options, std::string label, fs::path target)
        : options_(options), label_(std::move(label)), target_(std::move(target)) {}
    ~Rewrite() {
        if (!temp_.empty() && !crashed_)
            unlink(temp_.c_str());
    }
    Rewrite(const Rewrite&) = delete;
    Rewrite& operator=(const Rewrite&) = delete;

    // Steps in order; each returns Io naming itself on failure, but for the
    // directory's sync: the rename has replaced the file by then.
    Result<ShadowFile::Written> replace_with(std::string_view content, const struct stat& like) {
        UniqueFd fd;
        if (auto r = step("create-temp", [&] { return create_temp(fd); }); !r)
            return r.error();
        if (auto r = step("set-owner", [&] { return set_owner(fd.get(), like); }); !r)
            return r.error();
        if (auto r = step("set-label", [&] { return set_label(fd.get()); }); !r)
            return r.error();
        if (auto r = step("write", [&] { return write_all(fd.get(), content, temp_); }); !r)
            return r.error();
        if (auto r = step("fsync", [&] { return sys(fsync(fd.get()), "fsync"); }); !r)
            return r.error();
        if (auto r = step("close", [&] { return sys(fd.close(), "close"); }); !r)
            return r.error();
        if (auto r = step("verify", [&] { return verify(content); }); !r)
            return r.error();
        if (auto r = step("rename", [&] { return sys(rename(temp_.c_str(), target_.c_str()), "rename"); }); !r)
            return r.error();
        temp_.clear();
        ShadowFile::Written written;
        if (auto r = step("fsync-dir", [&] { return sync_directory(); }); !r) {
            if (crashed_)
                return r.error();
            written.unsynced = r.error();
        }
        return written;
    }

private:
    template <typename Action>
    Result<void> step(std::string_view name, Action action) {
        if (options_.before_step && !options_.before_step(label_ + ":" + std::string(name))) {
            crashed_ = true;
            return make_error(ErrorCode::Io, "stopped before " + std::string(name) + " (fault injection)");
        }
        if (options_.fail_step && options_.fail_step(label_ + ":" + std::string(name))) {
            errno = EIO;
            return io_error(name == "fsync-dir" ? target_.parent_path() : temp_, name);
        }
        return action();
    }

    Result<void> sys(int result, std::string_view what) {
        if (result != 0)
            return io_error(temp_, what);
        return {};
    }

    // mkostemp: a random name, created with O_EXCL, so nothing else's file
    // (or symlink) is ever opened in its place.
    Result<void> create_temp(UniqueFd& fd) {
        std::string name = target_.parent_path() / (temp_file_prefix(target_) + "XXXXXX");
        fd = UniqueFd(mkostemp(name.data(), O_CLOEXEC));
        if (!fd.valid())
            return io_error(name, "create");
        temp_ = name;
        return {};
    }

    // Owner and mode before any data: the hashes are never readable by
    // anyone who could not read the original.
    Result<void> set_owner(int fd, const struct stat& like) {
        if (fchown(fd, like.st_uid, like.st_gid) != 0)
            return io_error(temp_, "fchown");
        if (fchmod(fd, like.st_mode & 07777) != 0)
            return io_error(temp_, "fchmod");
        return {};
    }

    // Before any data too, for the same reason. Both files (the shadow and
    // its backup) get the shadow file's context, as shadow-utils gives them.
    Result<void> set_label(int fd) {
        if (!options_.copy_security_label)
            return {};
        return copy_security_label(options_.path, fd);
    }

    Result<void> verify(std::string_view expected) {
        auto written = read_file(temp_);
        if (!written)
            return written.error();
        if (std::string_view(written->text) != expected)
            return make_error(ErrorCode::Io, temp_.string() + ": the written file differs from what was meant");
        return {};
    }

    Result<void> sync_directory() {
        UniqueFd dir(open(target_.parent_path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
        if (!dir.valid() || fsync(dir.get()) != 0)
            return io_error(target_.parent_path(), "fsync");
        return {};
    }

    const ShadowFile::Options& options_;
    std::string label_;
    fs::path target_;
    fs::path temp_;
    bool crashed_ = false;
};

// Exactly the names Rewrite::create_temp makes for `target`.
bool is_temp_file_of(std::string_view name, const fs::path& target) {
    const std::string prefix = temp_file_prefix(target);
    constexpr std::size_t kRandomChars = 6;
    if (name.size() != prefix.size() + kRandomChars || name.substr(0, prefix.size()) != prefix)
        return false;
    // mkstemp's alphabet: ASCII letters and digits.
    return std::all_of(name.begin() + static_cast<std::ptrdiff_t>(prefix.size()), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    });
}

struct DirCloser {
    void operator()(DIR* dir) const { closedir(dir); }
};

Error account_state_error(AccountState state) {
    const char* what = state == AccountState::Locked     ? "locked"
                       : state == AccountState::Expired  ? "expired"
                                                         : "disabled";
    return make_error(ErrorCode::AccessDenied, std::string("the account is ") + what);
}

}  // namespace

Result<ShadowEntry> ShadowFile::find(std::string_view user) const {
    if (auto valid = validate_shadow_field("the user name", user); !valid)
        return valid.error();
    auto contents = read_file(options_.path);
    if (!contents)
        return contents.error();
    return find_shadow_entry(contents->text, user);
}

Result<ShadowFile::Written> ShadowFile::set_password_hash(std::string_view user, std::string_view new_hash,
                                                         long today, NextLogin next_login) {
    if (auto valid = validate_shadow_field("the user name", user); !valid)
        return valid.error();
    if (auto valid = validate_shadow_field("the password hash", new_hash); !valid)
        return valid.error();

    auto lock = PasswordDatabaseLock::acquire(options_.lock_path, options_.lock_timeout);
    if (!lock)
        return lock.error();
    auto old = read_file(options_.path);
    if (!old)
        return old.error();
    // Judged again on the file as it is now: a lock or a password change
    // that landed while the person was answering wins.
    auto entry = find_shadow_entry(old->text, user);
    if (!entry)
        return entry.error();
    if (const AccountState state = account_state(*entry, today); state != AccountState::Usable)
        return account_state_error(state);
    if (PasswordHasher::strength(new_hash) < PasswordHasher::strength(entry->password_hash))
        return make_error(ErrorCode::Unavailable, "the account's password changed meanwhile; try again");
    const long last_change = next_login == NextLogin::MustChangePassword ? 0 : today;
    auto updated = replace_password_fields(old->text, user, new_hash, last_change);
    if (!updated)
        return updated.error();

    // The backup first, as shadow-utils keeps it: the previous file, whole.
    // An unsynced backup stops here too: nothing has changed the shadow file.
    const fs::path backup = options_.path.string() + "-";
    auto saved = Rewrite(options_, "backup", backup).replace_with(old->text, old->st);
    if (!saved)
        return saved.error();
    if (saved->unsynced)
        return *saved->unsynced;
    return Rewrite(options_, "shadow", options_.path).replace_with(*updated, old->st);
}

Result<std::size_t> ShadowFile::remove_stale_temp_files() {
    auto lock = PasswordDatabaseLock::acquire(options_.lock_path, std::chrono::milliseconds(0));
    if (!lock)
        return lock.error();
    const fs::path directory = options_.path.parent_path();
    const fs::path backup = options_.path.string() + "-";
    std::unique_ptr<DIR, DirCloser> dir(opendir(directory.c_str()));
    if (!dir)
        return io_error(directory, "opendir");
    std::size_t removed = 0;
    for (;;) {
        errno = 0;
        const dirent* found = readdir(dir.get());
        if (found == nullptr) {
            if (errno != 0)
                return io_error(directory, "readdir");
            break;
        }
        const std::string_view name = found->d_name;
        if (!is_temp_file_of(name, options_.path) && !is_temp_file_of(name, backup))
            continue;
        // lstat's view: a symlink or directory by that name is not ours.
        struct stat st {};
        if (fstatat(dirfd(dir.get()), found->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(st.st_mode))
            continue;
        if (unlinkat(dirfd(dir.get()), found->d_name, 0) == 0)
            ++removed;
        else if (errno != ENOENT)
            return io_error(directory / found->d_name, "unlink");
    }
    return removed;
}

}  // namespace recoveryd
