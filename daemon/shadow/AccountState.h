#pragma once
// Whether an account may have its password recovered: judged from its
// shadow entry as pam_unix judges it at login (DESIGN.md invariant 12).
// See docs/decisions/accounts-and-passwords.md.

#include "daemon/shadow/ShadowText.h"

namespace recoveryd {

enum class AccountState {
    Usable,    // no lock, not expired; also "must change at next login"
    Locked,    // hash starts with '!' (usermod -L, passwd -l)
    Disabled,  // hash empty or starts with '*'; or a field we cannot read
    Expired,   // field 8 reached, or the password inactive too long
};

AccountState account_state(const ShadowEntry& entry, long today_days_since_epoch);

// A short phrase for audit rows: "account locked".
const char* describe(AccountState state);

}  // namespace recoveryd
