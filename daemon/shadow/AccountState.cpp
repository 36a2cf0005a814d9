#include "daemon/shadow/AccountState.h"

#include <string_view>

namespace recoveryd {
namespace {

// pam_unix's "authentication token expired": more than max + inactive days
// since the last change. Last change 0 means "change at next login", which
// pam_unix lets through to a password change, so it is not inactivity.
bool password_inactive(const ShadowEntry& entry, long today) {
    if (!entry.max_days || !entry.inactive_days || !entry.last_change_day || *entry.last_change_day == 0)
        return false;
    return today - *entry.last_change_day > *entry.max_days + *entry.inactive_days;
}

}  // namespace

AccountState account_state(const ShadowEntry& entry, long today_days_since_epoch) {
    const std::string_view hash = entry.password_hash;
    if (!hash.empty() && hash.front() == '!')
        return AccountState::Locked;
    if (hash.empty() || hash.front() == '*' || entry.malformed_number)
        return AccountState::Disabled;
    // pam_unix: curdays >= sp_expire, so "usermod -e 1" has expired.
    if (entry.expire_day && today_days_since_epoch >= *entry.expire_day)
        return AccountState::Expired;
    if (password_inactive(entry, today_days_since_epoch))
        return AccountState::Expired;
    return AccountState::Usable;
}

const char* describe(AccountState state) {
    switch (state) {
    case AccountState::Usable: return "account usable";
    case AccountState::Locked: return "account locked";
    case AccountState::Disabled: return "account disabled";
    case AccountState::Expired: return "account expired";
    }
    return "account disabled";
}

}  // namespace recoveryd
