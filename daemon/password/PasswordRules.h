#pragma once
// The rules a new password set through recoveryd must meet, checked in this
// order: its length in characters; not containing the user name;
// libpwquality's blocklist (the cracklib dictionary, and whatever else
// /etc/security/pwquality.conf asks for); not being one of the account's
// recent passwords. The first rule broken is the answer, with a message
// that tells the person at the login prompt exactly what to change.
// See docs/decisions/password-policy.md.
//
// Slow (a dictionary lookup, a crypt() per recent hash) and may read
// files: run it on a worker, never on the event loop. Safe to call from
// several threads.

#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "common/Result.h"
#include "common/Secret.h"
#include "daemon/policy/Policy.h"

namespace recoveryd {

enum class PasswordRule {
    Length,     // MinLength, MaxLength
    UserName,   // contains the user name
    Blocklist,  // libpwquality: too common, or a pwquality.conf rule
    History,    // one of the last RememberLast passwords
};

// The rule's name in audit rows: "length", "user-name", "blocklist", "history".
const char* rule_name(PasswordRule rule);

struct PasswordRefusal {
    PasswordRule rule;
    std::string message;  // for the person: what to change, in plain words
    std::string detail;   // for the audit log: what the check found; never the password
};

// Whose password it is.
struct PasswordOwner {
    std::string_view user;
    // crypt(3) strings of the passwords the account must not get again: the
    // one in /etc/shadow now, then the newest remembered ones
    // (recent_password_hashes in PasswordHistory.h).
    std::span<const Secret> recent_hashes;
};

// Characters as a person counts them: UTF-8 code points. (The text has
// been checked to be valid UTF-8 before.)
std::size_t count_characters(std::string_view utf8);

// nullopt when `candidate` meets every rule, else the first it breaks. An
// Error when a check cannot run (libpwquality's configuration is
// malformed, memory): no password is accepted then. `pwquality_config`
// names libpwquality's file; empty: the system's, as pam_pwquality reads
// it (/etc/security/pwquality.conf and pwquality.conf.d/*.conf).
Result<std::optional<PasswordRefusal>> check_new_password(const PasswordPolicy& policy, const PasswordOwner& owner,
                                                          const Secret& candidate,
                                                          const std::filesystem::path& pwquality_config = {});

}  // namespace recoveryd
