#include "daemon/flow/Flow.h"

#include <memory>
#include <string>
#include <utility>

#include "common/FlowProtocol.h"
#include "common/Validation.h"
#include "daemon/flow/CodeVerification.h"
#include "daemon/flow/FlowMessages.h"
#include "daemon/flow/PasswordRotation.h"
#include "daemon/policy/Policy.h"

namespace recoveryd {

namespace {

constexpr unsigned kMaxPasswordAttempts = 3;

std::size_t count_characters(std::string_view utf8) {
    std::size_t count = 0;
    for (const char c : utf8)
        count += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    return count;
}

// What is wrong with a new password typed twice, or "" when nothing is.
std::string password_problem(const Secret& first, const Secret& second, std::size_t min_length) {
    if (first.view() != second.view())
        return texts::kMismatch;
    if (!validate_text("password", first.view(), kMaxAnswerBytes).ok())
        return texts::kBadCharacters;
    if (count_characters(first.view()) < min_length)
        return texts::too_short(min_length);
    return {};
}

}  // namespace

Flow::Flow(Services& services, std::string user, FlowContext context)
    : services_(services), user_(std::move(user)), context_(std::move(context)) {}

FlowJobContext Flow::job_context() const { return FlowJobContext{services_, services_.policy, user_, context_}; }

Result<FlowAction> Flow::next(std::vector<Secret> answers) {
    if (step_ == FlowStep::Finished)
        return make_error(ErrorCode::NotFound, "this recovery conversation has ended; start a new one");
    if (job_out_)
        return make_error(ErrorCode::Unavailable, "the previous answer is still being checked");
    if (answers.size() != expected_answers_)
        return make_error(ErrorCode::InvalidArgument,
                          "expected " + std::to_string(expected_answers_) + " answer(s), got " +
                              std::to_string(answers.size()));
    switch (step_) {
    case FlowStep::Start: return FlowAction(ask_for_code());
    case FlowStep::AwaitCode: return FlowAction(check_code(std::move(answers[0])));
    case FlowStep::AwaitNewPassword: return set_new_password(std::move(answers[0]), answers[1]);
    case FlowStep::Finished: break;
    }
    return make_error(ErrorCode::Internal, "the recovery conversation is in an unknown state");
}

FlowReply Flow::complete(FlowOutcome outcome) {
    job_out_ = false;
    step_ = outcome.next;
    if (outcome.account_uid >= 0)
        account_uid_ = outcome.account_uid;
    return expect(std::move(outcome.reply));
}

FlowReply Flow::ask_for_code() {
    step_ = FlowStep::AwaitCode;
    return expect({FlowState::Continue,
                   {{MessageStyle::TextInfo, texts::kCodeIntro}, {MessageStyle::PromptEchoOff, texts::kCodePrompt}},
                   false});
}

FlowJob Flow::check_code(Secret typed) {
    job_out_ = true;
    // std::function needs a copyable callable: the secret travels in a shared_ptr.
    auto code = std::make_shared<Secret>(std::move(typed));
    return {FlowJob::Lane::General, [job = job_context(), code] { return verify_recovery_code(job, *code); }};
}

Result<FlowAction> Flow::set_new_password(Secret first, const Secret& second) {
    job_out_ = true;
    std::string problem = password_problem(first, second, services_.policy.min_password_length);
    if (!problem.empty()) {
        // A bad choice is asked again (up to kMaxPasswordAttempts); the job
        // only writes the audit row.
        const bool last = ++password_attempts_ >= kMaxPasswordAttempts;
        return FlowAction(FlowJob{FlowJob::Lane::General, [job = job_context(), problem, last]() -> FlowOutcome {
                                      (void)job.record("password.check", "failed", problem);
                                      if (last)
                                          return {FlowStep::Finished,
                                                  final_reply(FlowState::Failed, MessageStyle::ErrorMsg,
                                                              texts::kTooManyAttempts),
                                                  -1};
                                      return {FlowStep::AwaitNewPassword,
                                              new_password_request({{MessageStyle::ErrorMsg, problem}}), -1};
                                  }});
    }
    auto password = std::make_shared<Secret>(std::move(first));
    return FlowAction(FlowJob{FlowJob::Lane::ShadowWriter, [job = job_context(), uid = account_uid_, password] {
                                  return rotate_password(job, uid, *password);
                              }});
}

FlowReply Flow::expect(FlowReply reply) {
    expected_answers_ = reply.prompt_count();
    return reply;
}

}  // namespace recoveryd
