#include "daemon/flow/CodeVerification.h"

#include "daemon/crypto/SecretKey.h"
#include "daemon/flow/FlowMessages.h"
#include "daemon/methods/RecoveryCodes.h"
#include "daemon/policy/Eligibility.h"
#include "daemon/shadow/ShadowFile.h"
#include "daemon/store/Store.h"
#include "daemon/users/UserDatabase.h"

namespace recoveryd {
namespace {

FlowOutcome failed(const char* text) {
    FlowOutcome outcome{FlowStep::Finished, final_reply(FlowState::Failed, MessageStyle::ErrorMsg, text), -1};
    outcome.reply.verdict = true;
    return outcome;
}

// Why an existing account may not recover, or "" when it may: the policy,
// no local password, or a locked, disabled or expired account
// (invariant 12). Each is refused exactly like an unknown user.
std::string exclusion(const FlowJobContext& job, const UserRecord& account, const Result<ShadowEntry>& entry) {
    if (!may_recover(job.policy, account))
        return "account not recoverable by policy";
    if (!entry)
        return "account has no local password";
    if (const AccountState state = account_state(*entry, days_since_epoch()); state != AccountState::Usable)
        return describe(state);
    return {};
}

}  // namespace

FlowOutcome verify_recovery_code(const FlowJobContext& job, const Secret& typed) {
    const auto account = find_user_by_name(job.user);
    if (!account && account.error().code != ErrorCode::NotFound) {
        // "Unavailable" is not "no such user": nothing is consumed or retired.
        (void)job.record("code.verify", "error", account.error().message);
        return failed(texts::kTryLater);
    }
    // The same steps for every name: look up, read the shadow entry,
    // normalize, hash, one store transaction, one audit row.
    const auto entry = job.services.shadow.find(job.user);
    if (!entry && entry.error().code != ErrorCode::NotFound) {
        (void)job.record("code.verify", "error", entry.error().message);
        return failed(texts::kNotChanged);
    }
    std::string detail = account ? exclusion(job, *account, entry) : std::string();
    const std::int64_t uid = account ? static_cast<std::int64_t>(account->uid) : -1;

    // An excluded account's transaction uses a digest no code has (the empty
    // code's), so its codes are never consumed.
    auto normalized = normalize_recovery_code(typed.view());
    const bool well_formed = normalized.ok() && detail.empty();
    const Secret candidate = well_formed ? std::move(normalized.value()) : Secret();
    const Digest digest = hash_recovery_code(job.services.key, job.user, uid, candidate);
    const auto checked = job.services.store.consume_recovery_code(job.user, uid, digest);
    if (!checked) {
        (void)job.record("code.verify", "error", checked.error().message);
        return failed(texts::kNotChanged);
    }
    if (checked->retired > 0)
        detail += (detail.empty() ? "" : "; ") + std::string("retired codes enrolled for an earlier account of this name");
    const bool accepted = checked->consumed && well_formed && account.ok();
    if (!job.record("code.verify", accepted ? "ok" : "failed", detail))
        return failed(texts::kNotChanged);
    if (!accepted)
        return failed(texts::kCodeRejected);

    FlowOutcome outcome{FlowStep::AwaitNewPassword,
                        new_password_request({{MessageStyle::TextInfo,
                                               texts::code_accepted(job.policy.min_password_length)}}),
                        uid};
    outcome.reply.verdict = true;
    return outcome;
}

}  // namespace recoveryd
