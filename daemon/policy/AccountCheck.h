#pragma once
// What recoveryd finds about the account a name gives, looked up the same
// way for every name (user database, then shadow entry): whether it exists,
// and whether it may have its password recovered or reset: the policy, a
// local password, and an account that is not locked, disabled or expired
// (DESIGN.md invariant 12). Used by every identity check, by requests for
// help, and by the administrator's approvals and resets.

#include <cstdint>
#include <string>
#include <string_view>

#include "common/Result.h"
#include "daemon/policy/Policy.h"
#include "daemon/shadow/ShadowFile.h"

namespace recoveryd {

struct AccountCheck {
    std::int64_t uid = -1;  // -1: no such account
    std::string exclusion;  // why it may not recover; empty when it may

    bool recoverable() const { return uid >= 0 && exclusion.empty(); }
    // "recoverable", "no such account", or the exclusion: for audit rows and
    // administrators, never for the person at the prompt.
    std::string summary() const;
};

// Unavailable when the user database cannot answer, and the shadow file's
// own error when it cannot be read: never "no such account".
Result<AccountCheck> check_account(const Policy& policy, const ShadowFile& shadow, std::string_view user,
                                   long today_days_since_epoch);

}  // namespace recoveryd
