#pragma once
// Which crypt(5) method new passwords get on this system: the one pam_unix
// is configured with, so a recovery writes what `passwd` would write.
// See docs/decisions/accounts-and-passwords.md.

#include <filesystem>
#include <string>

#include "common/Result.h"

namespace recoveryd {

struct HashPolicyFiles {
    std::filesystem::path pam_password = "/etc/pam.d/common-password";
    std::filesystem::path login_defs = "/etc/login.defs";
};

// A method as libxcrypt's crypt_gensalt takes it.
struct HashMethod {
    std::string prefix;      // "$y$", "$gy$", "$2b$", "$6$", "$5$"
    unsigned long cost = 0;  // 0: libxcrypt's default
};

// The method option (and rounds=N) on the first `password ... pam_unix.so`
// line of pam_password; else ENCRYPT_METHOD and its cost key in login_defs;
// else yescrypt. A weak or unknown method, or a cost out of range, is
// refused with the file, line and fix. A missing file counts as empty.
Result<HashMethod> read_hash_method(const HashPolicyFiles& files);

}  // namespace recoveryd
