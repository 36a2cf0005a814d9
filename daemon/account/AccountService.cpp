#include "daemon/account/AccountService.h"

#include <ctime>
#include <utility>

#include "daemon/audit/AuditLog.h"
#include "daemon/crypto/SecretKey.h"
#include "daemon/methods/RecoveryCodes.h"
#include "daemon/policy/Eligibility.h"
#include "daemon/policy/Policy.h"
#include "daemon/shadow/PasswordHasher.h"
#include "daemon/shadow/ShadowFile.h"
#include "daemon/store/Store.h"
#include "daemon/users/UserDatabase.h"

namespace recoveryd {

Result<AccountStatus> AccountService::status(const UserRecord& caller) {
    const auto codes = services_.store.recovery_code_status(caller.name);
    if (!codes)
        return codes.error();
    return AccountStatus{caller.name, codes->remaining, codes->enrolled_at};
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

Result<std::vector<Secret>> AccountService::enroll_recovery_codes(const UserRecord& caller,
                                                                   const Secret& current_password) {
    if (auto checked = check_current_password(caller, current_password); !checked) {
        (void)record(caller, "enroll.recovery-codes", "denied", checked.error().message);
        return checked.error();
    }
    if (!may_recover(services_.policy, caller)) {
        (void)record(caller, "enroll.recovery-codes", "denied", "account not recoverable by policy");
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
        digests.push_back(hash_recovery_code(services_.key, caller.name, *normalized));
    }
    // Audit first: an enrollment that cannot be recorded does not happen.
    if (auto logged = record(caller, "enroll.recovery-codes", "ok"); !logged)
        return logged.error();
    if (auto stored = services_.store.replace_recovery_codes(caller.name, digests, std::time(nullptr)); !stored) {
        (void)record(caller, "enroll.recovery-codes", "error", stored.error().message);
        return stored.error();
    }
    return codes;
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
