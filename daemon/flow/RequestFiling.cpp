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
    request.contact = contact;
    request.reason = reason;
    return request;
}

}  // namespace

FlowOutcome file_help_request(const FlowJobContext& job, const std::string& contact, const std::string& reason) {
    const auto account = check_account(*job.policy, job.services.shadow, job.user, days_since_epoch());
    if (!account) {
        (void)job.record("request.file", "error", account.error().message);
        return finished(MessageStyle::ErrorMsg, texts::kTryLater);
    }
    const AdminPolicy& admin = job.policy->admin;
    const auto filing = job.services.store.file_request(new_request(job, *account, contact, reason),
                                                        job.services.clock(), admin.max_open_requests_per_user,
                                                        admin.request_lifetime.count() * kMicroseconds,
                                                        generate_request_id);
    if (!filing) {
        (void)job.record("request.file", "error", filing.error().message);
        return finished(MessageStyle::ErrorMsg, texts::kTryLater);
    }
    if (!filing->filed) {
        (void)job.record("request.file", "denied", "the name has the most open requests the policy allows");
        return finished(MessageStyle::TextInfo, texts::kRequestAlreadyOpen);
    }
    const std::string shown = format_request_id(filing->id);
    if (!job.record("request.file", "ok", "request " + shown + "; " + account->summary()))
        return finished(MessageStyle::ErrorMsg, texts::kTryLater);
    FlowOutcome outcome = finished(MessageStyle::TextInfo, texts::request_filed(shown));
    outcome.filed = FiledRequest{filing->id, job.user};
    return outcome;
}

}  // namespace recoveryd
