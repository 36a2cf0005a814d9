#include "daemon/flow/PasswordRotation.h"

#include "daemon/flow/FlowMessages.h"
#include "daemon/methods/ApprovalCodes.h"
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

// The request whose approval code was used is done. The password is set
// already: a failure here is audited, and the person still gets in.
void complete_request(const FlowJobContext& job, const std::string& request_id) {
    const auto completed = job.services.store.complete_request(request_id, job.services.clock());
    (void)job.record("request.complete", completed ? "ok" : "error",
                     "request " + format_request_id(request_id) +
                         (completed ? std::string() : ": " + completed.error().message));
}

Result<void> write_new_hash(const FlowJobContext& job, std::int64_t account_uid, const Secret& password) {
    const auto account = find_user_by_name(job.user);
    if (!account)
        return account.error();
    if (static_cast<std::int64_t>(account->uid) != account_uid)
        return make_error(ErrorCode::AccessDenied, "the account changed during the recovery");
    const auto entry = job.services.shadow.find(job.user);
    if (!entry)
        return entry.error();
    auto hash = job.services.hasher.hash(password, entry->password_hash);
    if (!hash)
        return hash.error();
    return job.services.shadow.set_password_hash(job.user, hash->view(), days_since_epoch());
}

// The owner's notice and pam_faillock's tally now, on this thread; the
// notify hook from the loop, off it (FlowOutcome::reset).
PasswordReset follow_up(const FlowJobContext& job, const IdentityProof& proof) {
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
    OwnerNotices notices(job.services.store, job.services.notice_markers);
    follow_up_reset(reset, notices, job.services.faillock,
                    [&job](const char* action, const char* outcome, std::string detail) {
                        return job.record(action, outcome, std::move(detail));
                    });
    return reset;
}

}  // namespace

FlowOutcome rotate_password(const FlowJobContext& job, const IdentityProof& proof, const Secret& password) {
    if (auto written = write_new_hash(job, proof.account_uid, password); !written)
        return not_changed(job, written.error());
    (void)job.record("password.rotate", "ok");
    if (!proof.request_id.empty())
        complete_request(job, proof.request_id);
    FlowOutcome outcome = job.policy->after_reset == AfterReset::Continue
                              ? finished(FlowState::Succeeded, MessageStyle::TextInfo, texts::kChanged)
                              : finished(FlowState::PasswordChanged, MessageStyle::TextInfo, texts::kChangedSignIn);
    outcome.reset = follow_up(job, proof);
    return outcome;
}

}  // namespace recoveryd
