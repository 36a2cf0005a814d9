#include "daemon/account/AccountService.h"

#include <algorithm>
#include <ctime>
#include <utility>

#include "common/TimeText.h"
#include "daemon/audit/AuditLog.h"
#include "daemon/crypto/SecretKey.h"
#include "daemon/methods/RecoveryCodes.h"
#include "daemon/policy/Eligibility.h"
#include "daemon/policy/CurrentPolicy.h"
#include "daemon/shadow/PasswordHasher.h"
#include "daemon/shadow/ShadowFile.h"
#include "daemon/store/Store.h"
#include "daemon/users/UserDatabase.h"

namespace recoveryd {
namespace {

std::int64_t now() { return static_cast<std::int64_t>(std::time(nullptr)); }

}  // namespace

std::int64_t AccountService::wait_after(std::uint32_t failures) {
    if (failures == 0)
        return 0;
    return std::min<std::int64_t>(std::int64_t{1} << std::min<std::uint32_t>(failures, 12), 3600);
}

Result<UserRecord> AccountService::account_of(uid_t caller) {
    auto user = find_user_by_uid(caller);
    if (!user && user.error().code == ErrorCode::NotFound)
        return make_error(ErrorCode::NotFound, "your user id has no entry in the user database");
    return user;
}

Result<AccountStatus> AccountService::status(uid_t caller) {
    const auto account = account_of(caller);
    if (!account)
        return account.error();
    const auto codes = services_.store.recovery_code_status(account->name, account->uid);
    if (!codes)
        return codes.error();
    return AccountStatus{account->name, codes->remaining, codes->enrolled_at};
}

Result<void> AccountService::check_current_password(const UserRecord& caller, const Secret& password) {
    const auto entry = services_.shadow.find(caller.name);
    if (!entry)
        return make_error(ErrorCode::AccessDenied,
                          "your account has no local password (it may be managed by a directory service); "
                          "account recovery is only available for local accounts");
    if (!PasswordHasher::verify(password, entry->password_hash))
        return make_error(ErrorCode::WrongPassword, "the current password is not correct");
    return {};
}

Result<std::vector<Secret>> AccountService::enroll_recovery_codes(uid_t caller, const Secret& current_password) {
    const auto account = account_of(caller);
    if (!account)
        return account.error();
    // The attempt is recorded as a failure before the password is looked at.
    const auto gate = services_.store.begin_password_check(account->uid, now(), wait_after);
    if (!gate)
        return gate.error();
    if (!gate->allowed) {
        record_denial(*account, "waiting after wrong passwords");
        return make_error(ErrorCode::Unavailable, "too many wrong passwords: try again in " +
                                                      std::to_string(gate->retry_after) + " seconds");
    }
    if (auto checked = check_current_password(*account, current_password); !checked) {
        record_denial(*account, checked.error().message);
        return checked.error();
    }
    if (auto cleared = services_.store.password_check_succeeded(account->uid); !cleared)
        return cleared.error();
    if (!may_recover(*services_.policy.get(), *account)) {
        (void)record(*account, "enroll.recovery-codes", "denied", "account not recoverable by policy");
        return make_error(ErrorCode::AccessDenied,
                          "the recovery policy does not allow account recovery for this account; "
                          "ask an administrator");
    }

    std::vector<Secret> codes = generate_recovery_codes();
    std::vector<Digest> digests;
    digests.reserve(codes.size());
    for (const Secret& code : codes) {
        auto normalized = normalize_recovery_code(code.view());
        if (!normalized)
            return make_error(ErrorCode::Internal, "a generated recovery code did not normalize");
        digests.push_back(hash_recovery_code(services_.key, account->name, account->uid, *normalized));
    }
    // Audit first: an enrollment that cannot be recorded does not happen.
    if (auto logged = record(*account, "enroll.recovery-codes", "ok"); !logged)
        return logged.error();
    if (auto stored = services_.store.replace_recovery_codes(account->name, account->uid, digests, now());
        !stored) {
        (void)record(*account, "enroll.recovery-codes", "error", stored.error().message);
        return stored.error();
    }
    return codes;
}

// One row per uid per window: an unprivileged caller cannot grow the audit
// log (or the journal) without bound by failing on purpose.
void AccountService::record_denial(const UserRecord& caller, const std::string& reason) {
    const auto window = services_.store.note_denial(caller.uid, now(), kDenialWindowSeconds);
    if (window && !window->write_row)
        return;
    std::string detail = reason;
    if (window && window->coalesced > 0)
        detail += "; " + std::to_string(window->coalesced) + " more denials since " + utc_iso8601(window->since) +
                  " were counted, not logged one by one";
    (void)record(caller, "enroll.recovery-codes", "denied", std::move(detail));
}

Result<void> AccountService::record(const UserRecord& caller, const char* action, const char* outcome,
                                    std::string detail) {
    AuditRecord entry{};
    entry.actor = "uid:" + std::to_string(caller.uid);
    entry.target_user = caller.name;
    entry.action = action;
    entry.outcome = outcome;
    entry.detail = std::move(detail);
    return services_.audit.record(std::move(entry));
}

}  // namespace recoveryd
