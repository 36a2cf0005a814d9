#include "daemon/shadow/ShadowFile.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <shadow.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "common/UniqueFd.h"

namespace recoveryd {
namespace {

namespace fs = std::filesystem;

Error io_error(const fs::path& path, std::string_view step) {
    return make_error(ErrorCode::Io, path.string() + ": " + std::string(step) + " failed: " + std::strerror(errno));
}

struct FileContents {
    std::string text;
    struct stat st {};
};

Result<std::string> read_all(int fd, const fs::path& path) {
    std::string text;
    char buffer[65536];
    for (;;) {
        ssize_t n = read(fd, buffer, sizeof buffer);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return io_error(path, "read");
        if (n == 0)
            return text;
        text.append(buffer, static_cast<std::size_t>(n));
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
    auto text = read_all(fd.get(), path);
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

// Holds /etc/.pwd.lock, as shadow-utils and pam_unix do.
class PasswordDatabaseLock {
public:
    explicit PasswordDatabaseLock(bool enabled) : enabled_(enabled) {
        // lckpwdf waits up to 15 seconds for another holder, then fails.
        locked_ = !enabled_ || lckpwdf() == 0;
    }
    ~PasswordDatabaseLock() {
        if (enabled_ && locked_)
            ulckpwdf();
    }
    PasswordDatabaseLock(const PasswordDatabaseLock&) = delete;
    PasswordDatabaseLock& operator=(const PasswordDatabaseLock&) = delete;
    bool locked() const { return locked_; }

private:
    bool enabled_;
    bool locked_ = false;
};

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

    // Steps in order; each returns Io naming itself on failure.
    Result<void> replace_with(std::string_view content, const struct stat& like) {
        UniqueFd fd;
        if (auto r = step("create-temp", [&] { return create_temp(fd); }); !r)
            return r;
        if (auto r = step("set-owner", [&] { return set_owner(fd.get(), like); }); !r)
            return r;
        if (auto r = step("write", [&] { return write_all(fd.get(), content, temp_); }); !r)
            return r;
        if (auto r = step("fsync", [&] { return sys(fsync(fd.get()), "fsync"); }); !r)
            return r;
        if (auto r = step("close", [&] { return sys(fd.close(), "close"); }); !r)
            return r;
        if (auto r = step("verify", [&] { return verify(content); }); !r)
            return r;
        if (auto r = step("rename", [&] { return sys(rename(temp_.c_str(), target_.c_str()), "rename"); }); !r)
            return r;
        temp_.clear();
        return step("fsync-dir", [&] { return sync_directory(); });
    }

private:
    template <typename Action>
    Result<void> step(std::string_view name, Action action) {
        if (options_.before_step && !options_.before_step(label_ + ":" + std::string(name))) {
            crashed_ = true;
            return make_error(ErrorCode::Io, "stopped before " + std::string(name) + " (fault injection)");
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
        std::string name = (target_.parent_path() / ("." + target_.filename().string() + ".recoveryd-XXXXXX"));
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

    Result<void> verify(std::string_view expected) {
        auto written = read_file(temp_);
        if (!written)
            return written.error();
        if (written->text != expected)
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

}  // namespace

Result<ShadowEntry> ShadowFile::find(std::string_view user) const {
    if (auto valid = validate_shadow_field("the user name", user); !valid)
        return valid.error();
    auto contents = read_file(options_.path);
    if (!contents)
        return contents.error();
    return find_shadow_entry(contents->text, user);
}

Result<void> ShadowFile::set_password_hash(std::string_view user, std::string_view new_hash,
                                           long days_since_epoch) {
    if (auto valid = validate_shadow_field("the user name", user); !valid)
        return valid;
    if (auto valid = validate_shadow_field("the password hash", new_hash); !valid)
        return valid;

    PasswordDatabaseLock lock(options_.lock_with_lckpwdf);
    if (!lock.locked())
        return make_error(ErrorCode::Unavailable,
                          "the password database is locked by another program; try again in a minute");
    auto old = read_file(options_.path);
    if (!old)
        return old.error();
    auto updated = replace_password_fields(old->text, user, new_hash, days_since_epoch);
    if (!updated)
        return updated.error();

    // The backup first, as shadow-utils keeps it: the previous file, whole.
    const fs::path backup = options_.path.string() + "-";
    if (auto saved = Rewrite(options_, "backup", backup).replace_with(old->text, old->st); !saved)
        return saved;
    return Rewrite(options_, "shadow", options_.path).replace_with(*updated, old->st);
}

}  // namespace recoveryd
