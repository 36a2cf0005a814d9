#include "daemon/flow/PasswordRotation.h"

#include "daemon/flow/FlowMessages.h"
#include "daemon/shadow/PasswordHasher.h"
#include "daemon/shadow/ShadowFile.h"
#include "daemon/users/UserDatabase.h"

namespace recoveryd {
namespace {

FlowOutcome not_changed(const FlowJobContext& job, const Error& why) {
    (void)job.record("password.rotate", why.code == ErrorCode::AccessDenied ? "denied" : "error", why.message);
    return {FlowStep::Finished, final_reply(FlowState::Failed, MessageStyle::ErrorMsg, texts::kNotChanged), -1};
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

}  // namespace

FlowOutcome rotate_password(const FlowJobContext& job, std::int64_t account_uid, const Secret& password) {
    if (auto written = write_new_hash(job, account_uid, password); !written)
        return not_changed(job, written.error());
    (void)job.record("password.rotate", "ok");
    if (job.policy.after_reset == AfterReset::Continue)
        return {FlowStep::Finished, final_reply(FlowState::Succeeded, MessageStyle::TextInfo, texts::kChanged), -1};
    return {FlowStep::Finished,
            final_reply(FlowState::PasswordChanged, MessageStyle::TextInfo, texts::kChangedSignIn), -1};
}

}  // namespace recoveryd
