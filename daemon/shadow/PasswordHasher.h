#pragma once
// Password hashes as the system makes them: libxcrypt, with the method
// pam_unix is configured with (HashPolicy.h), never weaker than the hash
// the account has now (DESIGN.md invariant 14).

#include <string>
#include <string_view>

#include "common/Result.h"
#include "common/Secret.h"
#include "daemon/shadow/HashPolicy.h"

namespace recoveryd {

class PasswordHasher {
public:
    // The method of pam_unix's password line, else login.defs, else
    // yescrypt (read_hash_method). Weak or unknown methods are refused with
    // the file and value to fix; so is one libxcrypt cannot make.
    static Result<PasswordHasher> from_system(const HashPolicyFiles& files = {});

    // A new hash of `password` with the configured method; when the
    // account's current hash uses a stronger method, that method instead
    // (at libxcrypt's default cost), so a recovery never weakens it.
    Result<Secret> hash(const Secret& password, std::string_view current_hash) const;

    // Locked or empty hashes ("!...", "*", "") never match.
    static bool verify(const Secret& password, std::string_view stored_hash);

    // How hard the hash's method is to attack, to compare two hashes:
    // 3 yescrypt, gost-yescrypt; 2 bcrypt, sha512; 1 sha256; 0 anything
    // else (md5, DES, unknown, locked, empty).
    static int strength(std::string_view hash);

    const std::string& prefix() const { return method_.prefix; }
    unsigned long cost() const { return method_.cost; }

private:
    explicit PasswordHasher(HashMethod method) : method_(std::move(method)) {}
    HashMethod method_;
};

}  // namespace recoveryd
