#pragma once
// Password hashes as the system makes them: libxcrypt, with the method and
// cost of /etc/login.defs, so pam_unix and passwd agree with what we write.

#include <filesystem>
#include <string>
#include <string_view>

#include "common/Result.h"
#include "common/Secret.h"

namespace recoveryd {

class PasswordHasher {
public:
    // ENCRYPT_METHOD (YESCRYPT when unset; SHA512 and SHA256 too) and its
    // cost (YESCRYPT_COST_FACTOR, SHA_CRYPT_MIN_ROUNDS). Weak or unknown
    // methods are refused with the file and value to fix.
    static Result<PasswordHasher> from_login_defs(const std::filesystem::path& path = "/etc/login.defs");

    Result<Secret> hash(const Secret& password) const;

    // Locked or empty hashes ("!...", "*", "") never match.
    static bool verify(const Secret& password, std::string_view stored_hash);

    const std::string& prefix() const { return prefix_; }

private:
    PasswordHasher(std::string prefix, unsigned long cost) : prefix_(std::move(prefix)), cost_(cost) {}
    std::string prefix_;   // "$y$", "$6$", "$5$"
    unsigned long cost_;   // 0: libxcrypt's default
};

}  // namespace recoveryd
