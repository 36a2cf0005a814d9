#include "daemon/policy/AccountCheck.h"

#include "daemon/policy/Eligibility.h"
#include "daemon/users/UserDatabase.h"

namespace recoveryd {

std::string AccountCheck::summary() const {
    if (uid < 0)
        return "no such account";
    return exclusion.empty() ? "recoverable" : exclusion;
}

Result<AccountCheck> check_account(const Policy& policy, const ShadowFile& shadow, std::string_view user,
                                   long today) {
    const auto account = find_user_by_name(user);
    if (!account && account.error().code != ErrorCode::NotFound)
        return account.error();
    // Read for every name, so the work does not tell whether it exists.
    const auto entry = shadow.find(user);
    if (!entry && entry.error().code != ErrorCode::NotFound)
        return entry.error();
    AccountCheck check;
    if (!account)
        return check;
    check.uid = static_cast<std::int64_t>(account->uid);
    if (!may_recover(policy, *account))
        check.exclusion = "account not recoverable by policy";
    else if (!entry)
        check.exclusion = "account has no local password";
    else if (const AccountState state = account_state(*entry, today); state != AccountState::Usable)
        check.exclusion = describe(state);
    return check;
}

}  // namespace recoveryd
