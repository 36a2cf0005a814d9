#include "daemon/flow/RequestFiling.h"

#include "daemon/flow/FlowMessages.h"
#include "daemon/methods/ApprovalCodes.h"
#include "daemon/policy/AccountCheck.h"
#include "daemon/store/Store.h"

namespace recoveryd {
namespace {

constexpr std::int64_t kMicroseconds = 1000000;

FlowOutcome finished(MessageStyle style, std::string text) {
    FlowOutcome outcome{FlowStep::Finished, final_reply(FlowState::Failed, style, std::move(text)), {}, {}};
    outcome.reply.verdict = true;  // paced like every reply that follows a lookup
    return outcome;
}

HelpRequest new_request(const FlowJobContext& job, const AccountCheck& account, const std::string& contact,
                        const std::string& reason) {
    HelpRequest request;
    request.user = job.user;
    request.uid = account.uid;
    request.account = account.summary();
    request.service = job.context.service;
    request.tty = job.context.tty;
    request.rhost = job.context.rhost;
    request.ruser = job.context.ruser;
    request.source = attempt_source(job.context);
    request.contact = contact;
    request.reason = reason;
    return request;
}

// The person is told the same for the name's caps (a request is already
// open) and for the source's or the total's (too many are open), so neither
// says anything about the account; the audit says which cap it was.
FlowOutcome refused(const FlowJobContext& job, Filing::Refusal refusal) {
    struct Refused {
        const char* audited;
        MessageStyle style;
        const char* told;
    };
    const Refused refused = [refusal]() -> Refused {
        switch (refusal) {
        case Filing::Refusal::AlreadyFiledHere:
            return {"this source already has a request open for the name", MessageStyle::TextInfo,
                    texts::kRequestAlreadyOpen};
        case Filing::Refusal::UserFull:
            return {"the name has the most open requests the policy allows", MessageStyle::TextInfo,
                    texts::kRequestAlreadyOpen};
        case Filing::Refusal::SourceFull:
            return {"this source has the most open requests the policy allows", MessageStyle::ErrorMsg,
                    texts::kTooManyRequests};
        case Filing::Refusal::AllFull:
        case Filing::Refusal::None:
            break;
        }
        return {"the most open requests the policy allows are open", MessageStyle::ErrorMsg,
                texts::kTooManyRequests};
    }();
    (void)job.record("request.file", "denied", refused.audited);
    return finished(refused.style, refused.told);
}

}  // namespace

FlowOutcome file_help_request(const FlowJobContext& job, const std::string& contact, const std::string& reason) {
    const auto account = check_account(*job.policy, job.services.shadow, job.user, days_since_epoch());
    if (!account) {
        (void)job.record("request.file", "error", account.error().message);
        return finished(MessageStyle::ErrorMsg, texts::kTryLater);
    }
    const AdminPolicy& admin = job.policy->admin;
    const RequestCaps caps{admin.max_open_requests_per_user, admin.max_open_requests_per_source,
                           admin.max_open_requests};
    const auto filing =
        job.services.store.file_request(new_request(job, *account, contact, reason), job.services.clock(), caps,
                                        admin.request_lifetime.count() * kMicroseconds, generate_request_id);
    if (!filing) {
        (void)job.record("request.file", "error", filing.error().message);
        return finished(MessageStyle::ErrorMsg, texts::kTryLater);
    }
    if (!filing->filed())
        return refused(job, filing->refusal);
    const std::string shown = format_request_id(filing->id);
    if (!job.record("request.file", "ok", "request " + shown + "; " + account->summary()))
        return finished(MessageStyle::ErrorMsg, texts::kTryLater);
    FlowOutcome outcome = finished(MessageStyle::TextInfo, texts::request_filed(shown));
    outcome.filed = FiledRequest{filing->id, job.user};
    return outcome;
}

}  // namespace recoveryd
