#pragma once
// The daemon's root-only key (/var/lib/recoveryd/recoveryd.key) and the
// keyed hashes made with it. Without the key, a stolen database does not let
// anyone test guesses of recovery codes offline.

#include <filesystem>

#include "daemon/crypto/Digest.h"

namespace recoveryd {

class SecretKey {
public:
    static constexpr std::size_t kBytes = 32;

    // Loads the key, or creates it (32 random bytes, 0600, root) when the
    // file does not exist. A key with the wrong size, mode or owner, or a
    // symlink, is refused: the daemon must not run on a key others can read.
    static Result<SecretKey> load_or_create(const std::filesystem::path& path);

    ~SecretKey();
    SecretKey(SecretKey&& other) noexcept;
    SecretKey& operator=(SecretKey&& other) noexcept;
    SecretKey(const SecretKey&) = delete;
    SecretKey& operator=(const SecretKey&) = delete;

    // hash_parts keyed with this key.
    Digest keyed_hash(std::initializer_list<std::string_view> parts) const {
        return hash_parts(parts, bytes_, kBytes);
    }

private:
    explicit SecretKey(unsigned char* bytes) : bytes_(bytes) {}
    unsigned char* bytes_ = nullptr;  // sodium_malloc'd: guarded, wiped on free
};

}  // namespace recoveryd
