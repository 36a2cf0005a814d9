#include "daemon/flow/CodeVerification.h"

#include "daemon/crypto/SecretKey.h"
#include "daemon/flow/FlowMessages.h"
#include "daemon/methods/ApprovalCodes.h"
#include "daemon/methods/RecoveryCodes.h"
#include "daemon/policy/AccountCheck.h"
#include "daemon/store/Store.h"

namespace recoveryd {
namespace {

FlowOutcome failed(const char* text) {
    FlowOutcome outcome{FlowStep::Finished, final_reply(FlowState::Failed, MessageStyle::ErrorMsg, text), {}, {}};
    outcome.reply.verdict = true;
    return outcome;
}

FlowOutcome accepted(const FlowJobContext& job, IdentityProof proof) {
    FlowOutcome outcome{FlowStep::AwaitNewPassword,
                        new_password_request({{MessageStyle::TextInfo,
                                               texts::code_accepted(job.policy->password.min_length)}}),
                        std::move(proof), {}};
    outcome.reply.verdict = true;
    return outcome;
}

// What one kind of code needs: how it is read, hashed and used up.
struct CodeKind {
    const char* action;  // the audit row's
    const char* rejected;
    Result<Secret> (*normalize)(std::string_view typed);
    Digest (*hash)(const SecretKey&, std::string_view user, std::int64_t uid, const Secret&);
    // The store's one transaction: the request the code answered ("" for a
    // recovery code) when it was consumed; a note for the audit row.
    struct Used {
        bool consumed = false;
        std::string request_id;
        std::string note;
        AttemptVerdict attempt;  // blocked: nothing was compared
    };
    Result<Used> (*consume)(const FlowJobContext&, std::int64_t uid, const Digest&);
};

// For the audit row: a lockout that held, or that this failure began.
std::string rate_limit_note(const AttemptVerdict& attempt) {
    auto until = [](std::int64_t judged_us) { return utc_iso8601(judged_us / 1'000'000); };
    if (attempt.blocked())
        return std::string("not checked: locked out by the ") + scope_name(attempt.blocked_by) + " limit until " +
               until(attempt.blocked_until);
    if (attempt.locked_out != AttemptScope::None)
        return std::string("the ") + scope_name(attempt.locked_out) + " limit is reached: locked out until " +
               until(attempt.lockout_until);
    return {};
}

FlowOutcome verify(const FlowJobContext& job, const Secret& typed, const CodeKind& kind) {
    const auto account = check_account(*job.policy, job.services.shadow, job.user, days_since_epoch());
    if (!account) {
        // "Unavailable" is not "no such user": nothing is consumed or retired.
        (void)job.record(kind.action, "error", account.error().message);
        return failed(account.error().code == ErrorCode::Unavailable ? texts::kTryLater : texts::kNotChanged);
    }
    // An excluded account's transaction uses a digest no code has (the empty
    // code's), so its codes are never consumed.
    auto normalized = kind.normalize(typed.view());
    const bool well_formed = normalized.ok() && account->exclusion.empty();
    const Secret candidate = well_formed ? std::move(normalized.value()) : Secret();
    const Digest digest = kind.hash(job.services.key, job.user, account->uid, candidate);
    const auto used = kind.consume(job, account->uid, digest);
    if (!used) {
        (void)job.record(kind.action, "error", used.error().message);
        return failed(texts::kNotChanged);
    }
    std::string detail = account->uid < 0 ? std::string() : account->exclusion;
    for (const std::string& note : {used->note, rate_limit_note(used->attempt)})
        if (!note.empty())
            detail += (detail.empty() ? "" : "; ") + note;
    const bool ok = used->consumed && well_formed && account->uid >= 0;
    // A blocked attempt reads like any wrong code at the prompt (same text,
    // same verdict time); only the audit row says it was not compared.
    if (!job.record(kind.action, ok ? "ok" : used->attempt.blocked() ? "denied" : "failed", detail))
        return failed(texts::kNotChanged);
    if (!ok)
        return failed(kind.rejected);
    return accepted(job, IdentityProof{account->uid, used->request_id});
}

Result<CodeKind::Used> consume_recovery_code(const FlowJobContext& job, std::int64_t uid, const Digest& digest) {
    const auto checked = job.services.store.consume_recovery_code(job.identity_attempt(), uid, digest);
    if (!checked)
        return checked.error();
    CodeKind::Used used{checked->consumed, {}, {}, checked->attempt};
    if (checked->retired > 0)
        used.note = "retired codes enrolled for an earlier account of this name";
    return used;
}

Result<CodeKind::Used> consume_approval_code(const FlowJobContext& job, std::int64_t uid, const Digest& digest) {
    const auto checked = job.services.store.consume_approval_code(job.identity_attempt(), uid, digest);
    if (!checked)
        return checked.error();
    CodeKind::Used used{checked->consumed, checked->request_id, {}, checked->attempt};
    if (checked->consumed)
        used.note = "request " + format_request_id(checked->request_id);
    return used;
}

constexpr CodeKind kRecoveryCode{"code.verify", texts::kCodeRejected, normalize_recovery_code, hash_recovery_code,
                                 consume_recovery_code};
constexpr CodeKind kApprovalCode{"approval.verify", texts::kApprovalRejected, normalize_approval_code,
                                 hash_approval_code, consume_approval_code};

}  // namespace

FlowOutcome verify_recovery_code(const FlowJobContext& job, const Secret& typed) {
    return verify(job, typed, kRecoveryCode);
}

FlowOutcome verify_approval_code(const FlowJobContext& job, const Secret& typed) {
    return verify(job, typed, kApprovalCode);
}

}  // namespace recoveryd
