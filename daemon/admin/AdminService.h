#pragma once
// What administrators do over the Admin interface: answer requests for
// help, reset passwords, unlock accounts, read the audit log, reload the
// policy. The bus layer has identified the caller and runs these on a
// worker (they touch NSS, the store, /etc/shadow and child processes);
// each one first makes sure the caller administers (Administrators.h) and
// writes an audit row with the administrator as actor.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <sys/types.h>
#include <vector>

#include "common/Result.h"
#include "common/Secret.h"
#include "daemon/Services.h"
#include "daemon/admin/Administrators.h"
#include "daemon/policy/Policy.h"
#include "daemon/resets/PasswordReset.h"
#include "daemon/store/Store.h"

namespace recoveryd {

// A reset's temporary password, and the reset for the bus layer to announce;
// none when its audit row could not be written: then the next start follows
// it up, announcement included (RotationIntents.h).
struct TemporaryPassword {
    Secret password;
    std::optional<PasswordReset> reset;
};

struct Approval {
    Secret code;  // grouped, as the administrator reads it out
    std::int64_t expires_at = 0;  // microseconds since the epoch
};

class AdminService {
public:
    using PolicySource = std::function<Result<Policy>()>;

    // `load_policy` reads the policy files for ReloadPolicy.
    AdminService(Services& services, PolicySource load_policy)
        : services_(services), load_policy_(std::move(load_policy)) {}

    // The caller's right to administer, judged now under the current policy;
    // a refusal is audited (one row per uid per hour, the rest counted).
    Result<Administrator> admit(uid_t caller);

    Result<std::vector<HelpRequest>> list_requests(const Administrator& admin, const RequestFilter& filter);
    // `id` as typed ("k7q-4mz" is fine). Refused for an account that may not
    // recover (unknown, excluded, locked, disabled, expired) or that is no
    // longer the one the request was filed for.
    Result<Approval> approve(const Administrator& admin, std::string_view id, const std::string& note);
    Result<void> deny(const Administrator& admin, std::string_view id, const std::string& reason);
    // A temporary password, set with last-change day 0 so pam_unix makes
    // the user choose a new one at the next login; the owner gets a notice
    // for that login. Refused like approve().
    Result<TemporaryPassword> reset_password(const Administrator& admin, const std::string& user);
    // Resets the user's pam_faillock tally and recoveryd's own counters.
    Result<void> unlock(const Administrator& admin, const std::string& user);
    Result<std::vector<AuditRow>> list_audit(const Administrator& admin, const AuditFilter& filter);
    // Walks the audit chain (Store::verify_audit_chain); audited as
    // audit.verify with its outcome. One walk at a time (Unavailable
    // meanwhile): a long log keeps a worker busy, and logins share them.
    Result<AuditVerification> verify_audit(const Administrator& admin);
    // A bad file is refused (InvalidArgument naming file:line) and the
    // policy in force stays.
    Result<void> reload_policy(const Administrator& admin);

    // Root only (checked by the bus layer). Deletes every method enrolled
    // under the name `user`, whatever uid it was bound to (for userdel: a
    // reused name must start with nothing). Audited as methods.forget.
    Result<std::size_t> forget_user(const Administrator& admin, const std::string& user);

private:
    // One audit row with the administrator as actor; fails closed.
    Result<void> record(const Administrator& admin, const std::string& user, const char* action,
                        const char* outcome, std::string detail = {});
    // That row, not written.
    static AuditRecord audit_row(const Administrator& admin, const std::string& user, const char* action,
                                 const char* outcome, std::string detail = {});
    // Audits a refusal of `action` and passes the error on.
    Error refused(const Administrator& admin, const std::string& user, const char* action, const Error& why);
    // The request an id names, in any spelling a person reads back.
    Result<HelpRequest> find_request(std::string_view typed_id);
    // Whether the account may be recovered now; AccessDenied saying why not.
    Result<std::int64_t> recoverable_uid(const Policy& policy, const std::string& user);

    Services& services_;
    PolicySource load_policy_;
    std::mutex verifying_;  // held by the verify_audit walking the chain
};

}  // namespace recoveryd
