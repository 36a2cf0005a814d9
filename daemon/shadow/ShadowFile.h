#pragma once
// /etc/shadow: read an entry; replace a password with the crash-safe
// sequence of DESIGN.md invariant 8. Nothing else in recoveryd opens it.

#include <chrono>
#include <filesystem>
#include <functional>
#include <string_view>

#include "common/Result.h"
#include "daemon/shadow/ShadowText.h"

namespace recoveryd {

class ShadowFile {
public:
    struct Options {
        std::filesystem::path path = "/etc/shadow";  // the backup is path + "-"
        // lckpwdf() always locks /etc/.pwd.lock; unit tests working on a copy
        // in a temp dir turn it off. Production never does.
        bool lock_with_lckpwdf = true;
        // Crash-safety tests only: called before each step of a rewrite with
        // its name; returning false stops there as a crash would (no cleanup).
        std::function<bool(std::string_view step)> before_step;
    };

    ShadowFile() : ShadowFile(Options{}) {}
    explicit ShadowFile(Options options) : options_(std::move(options)) {}

    Result<ShadowEntry> find(std::string_view user) const;

    // Sets the user's hash and last-change day. Refuses a user with no
    // line (never appends), and names or hashes that could break the file.
    Result<void> set_password_hash(std::string_view user, std::string_view new_hash, long days_since_epoch);

private:
    Options options_;
};

}  // namespace recoveryd
