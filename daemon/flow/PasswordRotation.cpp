#include "daemon/flow/PasswordRotation.h"

#include "daemon/flow/FlowMessages.h"
#include "daemon/password/PasswordHistory.h"
#include "daemon/password/PasswordRules.h"
#include "daemon/resets/RotationIntents.h"
#include "daemon/resets/ResetFollowUp.h"
#include "daemon/store/Store.h"
#include "daemon/shadow/PasswordHasher.h"
#include "daemon/shadow/ShadowFile.h"
#include "daemon/users/UserDatabase.h"

namespace recoveryd {
namespace {

FlowOutcome finished(FlowState state, MessageStyle style, const char* text) {
    return {FlowStep::Finished, final_reply(state, style, text), {}, {}};
}

FlowOutcome not_changed(const FlowJobContext& job, const Error& why) {
    (void)job.record("password.rotate", why.code == ErrorCode::AccessDenied ? "denied" : "error", why.message);
    return finished(FlowState::Failed, MessageStyle::ErrorMsg, texts::kNotChanged);
}

// A rule said no: audited (which rule, never the password); asked again
// unless this was the last try.
FlowOutcome refused(const FlowJobContext& job, const PasswordRefusal& refusal, bool last_try) {
    (void)job.record("password.check", "failed", refusal.detail);
    if (last_try)
        return {FlowStep::Finished, last_password_refusal(refusal.message), {}, {}};
    return {FlowStep::AwaitNewPassword, new_password_request({{MessageStyle::ErrorMsg, refusal.message}}), {}, {}};
}

Result<std::optional<PasswordRefusal>> check_rules(const FlowJobContext& job, std::int64_t account_uid,
                                                   std::string_view current_hash, const Secret& password) {
    const PasswordPolicy& rules = job.policy->password;
    auto recent = recent_password_hashes(job.services.store, rules, job.user, account_uid, current_hash);
    if (!recent)
        return recent.error();
    return check_new_password(rules, PasswordOwner{job.user, *recent}, password);
}

// The password is set already: a failure to remember the old one is
// audited, and the person still gets in.
void remember_replaced(const FlowJobContext& job, std::int64_t account_uid, std::string_view replaced_hash) {
    const auto now = job.services.clock().wall_us / 1000000;
    if (auto kept = remember_replaced_password(job.services.store, job.policy->password, job.user, account_uid,
                                               replaced_hash, now);
        !kept)
        (void)job.record("password.history", "error", kept.error().message);
}

// The password was written (the rotation intent to settle), or the rule it
// broke; nothing written either way when it is an error.
struct NewHash {
    NotedRotation intent;
    std::optional<PasswordRefusal> refusal;
};

Result<NewHash> write_new_hash(const FlowJobContext& job, const IdentityProof& proof, const Secret& password) {
    const std::int64_t account_uid = proof.account_uid;
    const auto account = find_user_by_name(job.user);
    if (!account)
        return account.error();
    if (static_cast<std::int64_t>(account->uid) != account_uid)
        return make_error(ErrorCode::AccessDenied, "the account changed during the recovery");
    const auto entry = job.services.shadow.find(job.user);
    if (!entry)
        return entry.error();
    auto refusal = check_rules(job, account_uid, entry->password_hash, password);
    if (!refusal)
        return refusal.error();
    if (*refusal)
        return NewHash{{}, std::move(*refusal)};
    auto hash = job.services.hasher.hash(password, entry->password_hash);
    if (!hash)
        return hash.error();
    auto intent = note_rotation(job.services, job.audit_row("password.rotate", "ok"), account_uid, hash->view(),
                                entry->password_hash, RotationFollowUp{{}, proof.request_id,
                                                 replaced_hash_to_remember(job.policy->password, entry->password_hash)});
    if (!intent)
        return intent.error();
    const auto written = job.services.shadow.set_password_hash(job.user, hash->view(), days_since_epoch());
    if (!written) {
        drop_rotation(job.services, *intent);
        return written.error();
    }
    if (written->unsynced)
        (void)job.record("password.sync", "error", written->unsynced->message);
    remember_replaced(job, account_uid, entry->password_hash);
    return NewHash{std::move(*intent), std::nullopt};
}

// The password is set already: what follows it (ResetFollowUp.h) now, on
// this thread, each failure audited and the person still gets in; the
// notify hook from the loop, off it (FlowOutcome::reset).
PasswordReset follow_up(const FlowJobContext& job, const IdentityProof& proof, std::int64_t intent) {
    const FlowContext& where = job.context;
    PasswordReset reset{job.user,
                        proof.account_uid,
                        job.services.clock().wall_us / 1000000,
                        ResetWay::Recovery,
                        "pam:" + (where.service.empty() ? std::string("unknown") : where.service),
                        {},
                        where.service,
                        where.tty,
                        where.rhost,
                        where.ruser,
                        proof.request_id};
    const ResetAudit record = [&job](const char* action, const char* outcome, std::string detail) {
        return job.record(action, outcome, std::move(detail));
    };
    follow_up_reset(reset, job.services, intent, record);
    return reset;
}

}  // namespace

FlowOutcome rotate_password(const FlowJobContext& job, const IdentityProof& proof, const Secret& password,
                            bool last_try) {
    auto written = write_new_hash(job, proof, password);
    if (!written)
        return not_changed(job, written.error());
    if (written->refusal)
        return refused(job, *written->refusal, last_try);
    const bool recorded = job.record("password.rotate", "ok", {}, written->intent.id).ok();
    FlowOutcome outcome = job.policy->after_reset == AfterReset::Continue
                              ? finished(FlowState::Succeeded, MessageStyle::TextInfo, texts::kChanged)
                              : finished(FlowState::PasswordChanged, MessageStyle::TextInfo, texts::kChangedSignIn);
    // Followed up here, or by the next start with the intent when the row
    // could not be written or a crash cuts the follow-ups short; the lock
    // (RotationIntents.h) keeps a start from doing both at once.
    if (recorded)
        outcome.reset = follow_up(job, proof, written->intent.id);
    written->intent.lock.close();
    return outcome;
}

}  // namespace recoveryd
