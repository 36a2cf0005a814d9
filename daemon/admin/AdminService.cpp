#include "daemon/admin/AdminService.h"

#include <ctime>

#include "common/TimeText.h"

#include "daemon/account/AccountService.h"
#include "daemon/audit/AuditLog.h"
#include "daemon/crypto/SecretKey.h"
#include "daemon/methods/ApprovalCodes.h"
#include "daemon/password/PasswordHistory.h"
#include "daemon/policy/AccountCheck.h"
#include "daemon/policy/CurrentPolicy.h"
#include "daemon/resets/FaillockTally.h"
#include "daemon/resets/ResetFollowUp.h"
#include "daemon/resets/RotationIntents.h"
#include "daemon/shadow/PasswordHasher.h"
#include "daemon/shadow/ShadowFile.h"
#include "daemon/users/UserDatabase.h"

namespace recoveryd {
namespace {

constexpr std::int64_t kMicroseconds = 1000000;

}  // namespace

Result<Administrator> AdminService::admit(uid_t caller) {
    auto admin = identify_administrator(caller, *services_.policy.get());
    if (admin || admin.error().code != ErrorCode::AccessDenied)
        return admin;
    // Anyone may call: refusals share one audit row per uid per hour.
    const auto window = services_.store.note_denial(caller, static_cast<std::int64_t>(std::time(nullptr)),
                                                    AccountService::kDenialWindowSeconds);
    if (window && window->write_row) {
        AuditRecord entry{};
        entry.actor = "uid:" + std::to_string(caller);
        entry.action = "admin.authorize";
        entry.outcome = "denied";
        entry.detail = "not an administrator";
        if (window->coalesced > 0)
            entry.detail += "; " + std::to_string(window->coalesced) + " more refusal(s) in the previous window";
        (void)services_.audit.record(std::move(entry));
    }
    return admin;
}

Result<void> AdminService::record(const Administrator& admin, const std::string& user, const char* action,
                                  const char* outcome, std::string detail) {
    return services_.audit.record(audit_row(admin, user, action, outcome, std::move(detail)));
}

AuditRecord AdminService::audit_row(const Administrator& admin, const std::string& user, const char* action,
                                    const char* outcome, std::string detail) {
    AuditRecord entry{};
    entry.actor = admin.actor();
    entry.target_user = user;
    entry.action = action;
    entry.outcome = outcome;
    entry.detail = std::move(detail);
    return entry;
}

Error AdminService::refused(const Administrator& admin, const std::string& user, const char* action,
                            const Error& why) {
    (void)record(admin, user, action, why.code == ErrorCode::AccessDenied ? "denied" : "error", why.message);
    return why;
}

Result<std::int64_t> AdminService::recoverable_uid(const Policy& policy, const std::string& user) {
    const auto account = check_account(policy, services_.shadow, user, days_since_epoch());
    if (!account)
        return account.error();
    if (!account->recoverable())
        return make_error(ErrorCode::AccessDenied,
                          user + " cannot be recovered here: " + account->summary() +
                              " (see recoveryd --check-policy, and usermod -U or chage -E -1 for a locked or "
                              "expired account)");
    return account->uid;
}

// ---- requests for help ----

Result<std::vector<HelpRequest>> AdminService::list_requests(const Administrator& admin, const RequestFilter& filter) {
    auto requests = services_.store.list_requests(filter, services_.clock());
    if (!requests)
        return requests;
    // Contact details are personal data: who read them is on record.
    if (auto logged = record(admin, filter.user, "requests.list", "ok",
                             std::to_string(requests->size()) + " request(s)");
        !logged)
        return logged.error();
    return requests;
}

Result<HelpRequest> AdminService::find_request(std::string_view typed_id) {
    const auto id = normalize_request_id(typed_id);
    if (!id)
        return id.error();
    return services_.store.find_request(*id, services_.clock());
}

Result<Approval> AdminService::approve(const Administrator& admin, std::string_view typed_id, const std::string& note) {
    const auto policy = services_.policy.get();
    const auto request = find_request(typed_id);
    if (!request)
        return request.error();
    const std::string& id = request->id;
    const auto uid = recoverable_uid(*policy, request->user);
    if (!uid)
        return refused(admin, request->user, "request.approve", uid.error());
    Approval approval{generate_approval_code(), 0};
    const auto normalized = normalize_approval_code(approval.code.view());
    if (!normalized)
        return make_error(ErrorCode::Internal, "a generated approval code did not normalize");
    ApprovalGrant grant{id,
                        request->user,
                        *uid,
                        hash_approval_code(services_.key, request->user, *uid, *normalized),
                        policy->admin.approval_code_lifetime.count() * kMicroseconds,
                        admin.actor(),
                        note};
    // Audited before the code exists anywhere but here: an approval that
    // cannot be recorded does not happen.
    if (auto logged = record(admin, request->user, "request.approve", "ok",
                             "request " + format_request_id(id) + "; note: " + note);
        !logged)
        return logged.error();
    auto expires = services_.store.approve_request(grant, services_.clock());
    if (!expires)
        return refused(admin, request->user, "request.approve", expires.error());
    approval.expires_at = *expires;
    return approval;
}

Result<void> AdminService::deny(const Administrator& admin, std::string_view typed_id, const std::string& reason) {
    const auto request = find_request(typed_id);
    if (!request)
        return request.error();
    if (auto denied = services_.store.deny_request(request->id, admin.actor(), reason, services_.clock()); !denied)
        return refused(admin, request->user, "request.deny", denied.error());
    return record(admin, request->user, "request.deny", "ok",
                  "request " + format_request_id(request->id) + "; reason: " + reason);
}

// ---- accounts ----

Result<TemporaryPassword> AdminService::reset_password(const Administrator& admin, const std::string& user) {
    const auto policy = services_.policy.get();
    const auto uid = recoverable_uid(*policy, user);
    if (!uid)
        return refused(admin, user, "password.reset", uid.error());
    const auto entry = services_.shadow.find(user);
    if (!entry)
        return refused(admin, user, "password.reset", entry.error());
    Secret password = generate_temporary_password(policy->password.min_length);
    const auto hash = services_.hasher.hash(password, entry->password_hash);
    if (!hash)
        return refused(admin, user, "password.reset", hash.error());
    const auto success = audit_row(admin, user, "password.reset", "ok",
                                   "temporary password; change required at next login");
    const auto intent = note_rotation(services_, success, *uid, hash->view(), entry->password_hash,
                                      RotationFollowUp{admin.name, {}, replaced_hash_to_remember(policy->password,
                                                                                                 entry->password_hash)});
    if (!intent)
        return refused(admin, user, "password.reset", intent.error());
    const auto written = services_.shadow.set_password_hash(user, hash->view(), days_since_epoch(),
                                                            ShadowFile::NextLogin::MustChangePassword);
    if (!written) {
        drop_rotation(services_, *intent);
        return refused(admin, user, "password.reset", written.error());
    }
    if (written->unsynced)
        (void)record(admin, user, "password.sync", "error", written->unsynced->message);
    // The replaced password joins the history; the reset stands either way.
    if (auto kept = remember_replaced_password(services_.store, policy->password, user, *uid, entry->password_hash,
                                               services_.clock().wall_us / 1000000);
        !kept)
        (void)record(admin, user, "password.history", "error", kept.error().message);
    // The password is set: when this row cannot be written the intent
    // stays, and the next start audits and follows it up
    // (RotationIntents.h). The administrator still gets the password nobody
    // else knows.
    if (!services_.audit.record(success, intent->id))
        return TemporaryPassword{std::move(password), std::nullopt};
    PasswordReset reset{user, *uid, services_.clock().wall_us / kMicroseconds, ResetWay::Administrator, admin.actor(),
                        admin.name};
    const ResetAudit audit = [this, &admin, &user](const char* action, const char* outcome, std::string detail) {
        return record(admin, user, action, outcome, std::move(detail));
    };
    follow_up_reset(reset, services_, intent->id, audit);
    return TemporaryPassword{std::move(password), std::move(reset)};
}

Result<void> AdminService::unlock(const Administrator& admin, const std::string& user) {
    const auto account = find_user_by_name(user);
    if (!account)
        return refused(admin, user, "account.unlock",
                       account.error().code == ErrorCode::NotFound
                           ? make_error(ErrorCode::NotFound, "there is no user " + user)
                           : account.error());
    if (auto reset = reset_faillock_tally(user, services_.faillock); !reset)
        return refused(admin, user, "account.unlock", reset.error());
    if (auto cleared = services_.store.password_check_succeeded(account->uid); !cleared)
        return refused(admin, user, "account.unlock", cleared.error());
    if (auto cleared = services_.store.clear_failed_checks(user); !cleared)
        return refused(admin, user, "account.unlock", cleared.error());
    return record(admin, user, "account.unlock", "ok",
                  "pam_faillock tally, failed recovery checks and lockout of the name reset");
}

// ---- audit and policy ----

Result<std::vector<AuditRow>> AdminService::list_audit(const Administrator& admin, const AuditFilter& filter) {
    auto rows = services_.store.list_audit(filter);
    if (!rows)
        return rows;
    if (auto logged = record(admin, filter.user, "audit.list", "ok", std::to_string(rows->size()) + " row(s)");
        !logged)
        return logged.error();
    return rows;
}

Result<AuditVerification> AdminService::verify_audit(const Administrator& admin) {
    const std::unique_lock walking(verifying_, std::try_to_lock);
    if (!walking.owns_lock())
        return refused(admin, {}, "audit.verify",
                       make_error(ErrorCode::Unavailable,
                                  "the audit log is being verified already; try again when that has finished"));
    auto verified = services_.store.verify_audit_chain();
    if (!verified)
        return refused(admin, {}, "audit.verify", verified.error());
    const bool intact = verified->intact;
    if (auto logged = record(admin, {}, "audit.verify", intact ? "ok" : "failed",
                             intact ? std::to_string(verified->rows_checked) + " row(s) checked" : verified->problem);
        !logged)
        return logged.error();
    return verified;
}

Result<void> AdminService::reload_policy(const Administrator& admin) {
    auto loaded = load_policy_();
    if (!loaded) {
        (void)record(admin, {}, "policy.reload", "failed", loaded.error().message);
        return make_error(ErrorCode::InvalidArgument, loaded.error().message + " (the policy in force stays)");
    }
    if (auto logged = record(admin, {}, "policy.reload", "ok"); !logged)
        return logged;
    services_.policy.replace(std::move(*loaded));
    return {};
}

Result<std::size_t> AdminService::forget_user(const Administrator& admin, const std::string& user) {
    const auto removed = services_.store.forget_user(user);
    if (!removed)
        return refused(admin, user, "methods.forget", removed.error());
    if (auto logged = record(admin, user, "methods.forget", "ok", std::to_string(*removed) + " enrollment(s) removed");
        !logged)
        return logged.error();
    return removed;
}

}  // namespace recoveryd
