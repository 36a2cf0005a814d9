#pragma once
// /etc/shadow: read an entry; replace a password with the crash-safe
// sequence of DESIGN.md invariant 8. Nothing else in recoveryd opens it.
// Safe to call from several threads: rewrites are serialized (see the
// password-database lock in ShadowFile.cpp), reads need no lock.

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <optional>
#include <string_view>

#include "common/Result.h"
#include "daemon/shadow/AccountState.h"
#include "daemon/shadow/SecurityLabel.h"
#include "daemon/shadow/ShadowText.h"

namespace recoveryd {

class ShadowFile {
public:
    struct Options {
        std::filesystem::path path = "/etc/shadow";  // the backup is path + "-"
        // The lock file of lckpwdf(3), which shadow-utils, passwd and
        // pam_unix take. Empty: no file lock (unit tests on a temp copy);
        // callers in this process are serialized all the same.
        std::filesystem::path lock_path = "/etc/.pwd.lock";
        std::chrono::milliseconds lock_timeout{15000};  // as lckpwdf's
        // The new files get the shadow file's SELinux context (SecurityLabel.h).
        // Off where SELinux is off: nothing changes there. Tests turn it on
        // to see the context copied as an extended attribute.
        bool copy_security_label = selinux_labels_files();
        // Crash-safety tests only: called before each step of a rewrite with
        // its name; returning false stops there as a crash would (no cleanup).
        std::function<bool(std::string_view step)> before_step;
        // Fault tests only: a step for which this returns true fails as its
        // system call would, with EIO.
        std::function<bool(std::string_view step)> fail_step;
    };

    // A password set: the new file is in place and in use. `unsynced` says
    // why the directory could not be synced after the rename: the change
    // stands, but a crash before the kernel writes the directory back may
    // bring the old file back.
    struct Written {
        std::optional<Error> unsynced;
    };

    ShadowFile() : ShadowFile(Options{}) {}
    explicit ShadowFile(Options options) : options_(std::move(options)) {}

    Result<ShadowEntry> find(std::string_view user) const;

    // What the last-change day says to pam_unix at the next login.
    enum class NextLogin {
        UsePassword,         // today: the new password is the one to use
        MustChangePassword,  // 0: a new password is asked for first
    };

    // Sets the user's hash and last-change day. Under the lock, on the file
    // as it is then (judged on `today`), refuses: a user with no line (never
    // appends); an account that is not Usable (AccessDenied: a lock or an
    // expiry that lands meanwhile wins); a new hash weaker than the current
    // one (Unavailable: the password changed meanwhile); names or hashes that
    // could break the file. Unavailable when the lock stays taken.
    Result<Written> set_password_hash(std::string_view user, std::string_view new_hash, long today,
                                      NextLogin next_login = NextLogin::UsePassword);

    // Under the lock, unlinks the temp files a crash mid-rewrite leaves
    // beside the shadow file (".shadow.recoveryd-XXXXXX" and
    // ".shadow-.recoveryd-XXXXXX", regular files only) and nothing else.
    // Returns how many. For start-up: it does not wait for the lock
    // (Unavailable while another program holds it), since a daemon starting
    // on a login's call must not make that login wait.
    Result<std::size_t> remove_stale_temp_files();

private:
    Options options_;
};

}  // namespace recoveryd
