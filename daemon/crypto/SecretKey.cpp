#include "daemon/crypto/SecretKey.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <utility>

#include "common/UniqueFd.h"

namespace recoveryd {
namespace {

Error key_error(ErrorCode code, const std::filesystem::path& path, const std::string& what) {
    return make_error(code, path.string() + ": " + what);
}

Result<void> read_exactly(int fd, unsigned char* out, std::size_t size, const std::filesystem::path& path) {
    std::size_t done = 0;
    while (done < size) {
        ssize_t n = read(fd, out + done, size - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return key_error(ErrorCode::Io, path, "cannot read the key");
        done += static_cast<std::size_t>(n);
    }
    return {};
}

Result<void> write_exactly(int fd, const unsigned char* data, std::size_t size, const std::filesystem::path& path) {
    std::size_t done = 0;
    while (done < size) {
        ssize_t n = write(fd, data + done, size - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return key_error(ErrorCode::Io, path, std::string("cannot write the key: ") + std::strerror(errno));
        done += static_cast<std::size_t>(n);
    }
    return {};
}

Result<void> fsync_directory(const std::filesystem::path& dir) {
    UniqueFd fd(open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!fd.valid() || fsync(fd.get()) != 0)
        return key_error(ErrorCode::Io, dir, std::string("cannot sync the directory: ") + std::strerror(errno));
    return {};
}

// The key file's status, when it is a regular file only root can read.
Result<struct stat> root_only_file(int fd, const std::filesystem::path& path) {
    struct stat st {};
    if (fstat(fd, &st) != 0)
        return key_error(ErrorCode::Io, path, std::strerror(errno));
    if (!S_ISREG(st.st_mode) || st.st_uid != 0 || (st.st_mode & 077) != 0)
        return key_error(ErrorCode::Corrupt, path,
                         "the key must be a regular file owned by root with mode 0600; "
                         "fix its owner and mode, or restore it from a backup");
    return st;
}

// Writes and syncs the key under a temporary name, then links it into place:
// a crash leaves no key or a whole one, never a short one that every later
// start would refuse. A temporary file a crash left behind is overwritten;
// the link fails rather than replace a key that appeared meanwhile.
Result<void> create_key_file(const std::filesystem::path& path, const unsigned char* key) {
    const std::filesystem::path temporary = path.string() + ".new";
    UniqueFd fd(open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600));
    if (!fd.valid())
        return key_error(ErrorCode::Io, temporary, std::string("cannot create the key: ") + std::strerror(errno));
    if (auto checked = root_only_file(fd.get(), temporary); !checked)
        return checked.error();
    if (auto w = write_exactly(fd.get(), key, SecretKey::kBytes, temporary); !w)
        return w;
    if (fsync(fd.get()) != 0 || fd.close() != 0)
        return key_error(ErrorCode::Io, temporary, std::string("cannot save the key: ") + std::strerror(errno));
    if (link(temporary.c_str(), path.c_str()) != 0)
        return key_error(ErrorCode::Io, path, std::string("cannot put the key in place: ") + std::strerror(errno));
    if (unlink(temporary.c_str()) != 0)
        return key_error(ErrorCode::Io, temporary, std::string("cannot remove: ") + std::strerror(errno));
    return fsync_directory(path.parent_path());
}

Result<void> check_key_file(int fd, const std::filesystem::path& path) {
    const auto st = root_only_file(fd, path);
    if (!st)
        return st.error();
    if (st->st_size != static_cast<off_t>(SecretKey::kBytes))
        return key_error(ErrorCode::Corrupt, path,
                         "the key has the wrong size; restore it from a backup (a new key "
                         "invalidates every enrolled recovery code)");
    return {};
}

}  // namespace

Result<SecretKey> SecretKey::load_or_create(const std::filesystem::path& path) {
    if (auto init = init_crypto(); !init)
        return init.error();
    auto* bytes = static_cast<unsigned char*>(sodium_malloc(kBytes));
    if (bytes == nullptr)
        return make_error(ErrorCode::Internal, "out of memory for the key");
    SecretKey key(bytes);

    UniqueFd fd(open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
    if (!fd.valid() && errno == ENOENT) {
        randombytes_buf(bytes, kBytes);
        if (auto created = create_key_file(path, bytes); !created)
            return created.error();
        return key;
    }
    if (!fd.valid())
        return key_error(errno == ELOOP ? ErrorCode::Corrupt : ErrorCode::Io, path,
                         std::string("cannot open the key: ") + std::strerror(errno));
    if (auto checked = check_key_file(fd.get(), path); !checked)
        return checked.error();
    if (auto read = read_exactly(fd.get(), bytes, kBytes, path); !read)
        return read.error();
    return key;
}

SecretKey::~SecretKey() {
    sodium_free(bytes_);  // wipes before freeing
}

SecretKey::SecretKey(SecretKey&& other) noexcept : bytes_(std::exchange(other.bytes_, nullptr)) {}

SecretKey& SecretKey::operator=(SecretKey&& other) noexcept {
    if (this != &other) {
        sodium_free(bytes_);
        bytes_ = std::exchange(other.bytes_, nullptr);
    }
    return *this;
}

}  // namespace recoveryd
