#include "daemon/flow/Flow.h"

#include <memory>
#include <string>
#include <utility>

#include "common/FlowProtocol.h"
#include "common/Validation.h"
#include "daemon/flow/CodeVerification.h"
#include "daemon/flow/FlowMessages.h"
#include "daemon/flow/MethodMenu.h"
#include "daemon/flow/PasswordRotation.h"
#include "daemon/flow/RequestFiling.h"
#include "daemon/password/PasswordRules.h"

namespace recoveryd {

namespace {

// Bad answers at one step before the flow ends.
constexpr unsigned kMaxAttempts = 3;
// Caps on what a request for help keeps, in characters (and the bus's
// kMaxAnswerBytes in bytes).
constexpr std::size_t kMaxContactCharacters = 200;
constexpr std::size_t kMaxReasonCharacters = 500;

// What is wrong with how a new password was typed, or "" when nothing is.
// The password rules (daemon/password) come later, on a worker.
std::string typing_problem(const Secret& first, const Secret& second) {
    if (first.view() != second.view())
        return texts::kMismatch;
    if (!validate_text("password", first.view(), kMaxAnswerBytes).ok())
        return texts::kBadCharacters;
    return {};
}

// A contact or reason: one line of printable UTF-8, not only spaces.
bool acceptable_text(std::string_view text, std::size_t max_characters) {
    return validate_text("answer", text, kMaxAnswerBytes).ok() && count_characters(text) <= max_characters &&
           text.find_first_not_of(' ') != std::string_view::npos;
}

FlowOutcome too_many_attempts() {
    return {FlowStep::Finished, final_reply(FlowState::Failed, MessageStyle::ErrorMsg, texts::kTooManyAttempts), {},
            {}};
}

}  // namespace

Flow::Flow(Services& services, std::shared_ptr<const Policy> policy, std::string user, FlowContext context)
    : services_(services), policy_(std::move(policy)), user_(std::move(user)), context_(std::move(context)) {}

FlowJobContext Flow::job_context() const { return FlowJobContext{services_, policy_, user_, context_}; }

Result<FlowAction> Flow::next(std::vector<Secret> answers) {
    if (step_ == FlowStep::Finished)
        return make_error(ErrorCode::NotFound, "this recovery conversation has ended; start a new one");
    if (job_out_)
        return make_error(ErrorCode::Unavailable, "the previous answer is still being checked");
    if (answers.size() != expected_answers_)
        return make_error(ErrorCode::InvalidArgument,
                          "expected " + std::to_string(expected_answers_) + " answer(s), got " +
                              std::to_string(answers.size()));
    return answer(std::move(answers));
}

Result<FlowAction> Flow::answer(std::vector<Secret> answers) {
    switch (step_) {
    case FlowStep::Start: return FlowAction(ask(FlowStep::AwaitMethodChoice));
    case FlowStep::AwaitMethodChoice: return choose_method(answers[0]);
    case FlowStep::AwaitRecoveryCode: return FlowAction(check_recovery_code(std::move(answers[0])));
    case FlowStep::AwaitApprovalCode: return FlowAction(check_approval_code(std::move(answers[0])));
    case FlowStep::AwaitContact: return take_contact(answers[0]);
    case FlowStep::AwaitReason: return take_reason(answers[0]);
    case FlowStep::AwaitNewPassword: return FlowAction(set_new_password(std::move(answers[0]), answers[1]));
    case FlowStep::Finished: break;
    }
    return make_error(ErrorCode::Internal, "the recovery conversation is in an unknown state");
}

FlowReply Flow::complete(FlowOutcome outcome) {
    job_out_ = false;
    if (outcome.next != step_)
        attempts_ = 0;
    step_ = outcome.next;
    if (outcome.proof)
        proof_ = std::move(*outcome.proof);
    expected_answers_ = outcome.reply.prompt_count();
    return std::move(outcome.reply);
}

// The reply that waits at `step`, after `preface`.
FlowReply Flow::ask(FlowStep step, std::vector<FlowMessage> preface) {
    if (step != step_)
        attempts_ = 0;
    step_ = step;
    auto with = [&](std::initializer_list<FlowMessage> messages) {
        preface.insert(preface.end(), messages);
        return FlowReply{FlowState::Continue, std::move(preface), false};
    };
    FlowReply reply;
    switch (step) {
    case FlowStep::AwaitMethodChoice: reply = method_menu(std::move(preface)); break;
    case FlowStep::AwaitRecoveryCode:
        reply = with({{MessageStyle::TextInfo, texts::kCodeIntro}, {MessageStyle::PromptEchoOff, texts::kCodePrompt}});
        break;
    case FlowStep::AwaitApprovalCode:
        reply = with({{MessageStyle::TextInfo, texts::kApprovalIntro},
                      {MessageStyle::PromptEchoOff, texts::kApprovalPrompt}});
        break;
    case FlowStep::AwaitContact:
        reply = with({{MessageStyle::TextInfo, texts::kRequestIntro},
                      {MessageStyle::PromptEchoOn, texts::kContactPrompt}});
        break;
    case FlowStep::AwaitReason: reply = with({{MessageStyle::PromptEchoOn, texts::kReasonPrompt}}); break;
    case FlowStep::AwaitNewPassword: reply = new_password_request(std::move(preface)); break;
    case FlowStep::Start:
    case FlowStep::Finished: reply = final_reply(FlowState::Failed, MessageStyle::ErrorMsg, texts::kTryLater); break;
    }
    expected_answers_ = reply.prompt_count();
    return reply;
}

// A bad answer (not a secret): asked again, up to kMaxAttempts in all; the
// flow's end is a decision, so a job writes its audit row.
FlowAction Flow::ask_again(std::string problem) {
    if (++attempts_ < kMaxAttempts)
        return ask(step_, {{MessageStyle::ErrorMsg, std::move(problem)}});
    return job(FlowJob::Lane::General, [job = job_context(), problem]() -> FlowOutcome {
        (void)job.record("answer.check", "failed", "too many bad answers; the last: " + problem);
        return too_many_attempts();
    });
}

FlowAction Flow::choose_method(const Secret& choice) {
    const auto step = parse_method_choice(choice.view());
    if (!step)
        return ask_again(texts::kBadChoice);
    return ask(*step);
}

FlowAction Flow::take_contact(const Secret& contact) {
    if (!acceptable_text(contact.view(), kMaxContactCharacters))
        return ask_again(texts::bad_text("phone number or e-mail address", kMaxContactCharacters));
    contact_ = std::string(contact.view());
    return ask(FlowStep::AwaitReason);
}

FlowAction Flow::take_reason(const Secret& reason) {
    if (!acceptable_text(reason.view(), kMaxReasonCharacters))
        return ask_again(texts::bad_text("reason", kMaxReasonCharacters));
    return job(FlowJob::Lane::General, [job = job_context(), contact = contact_, reason = std::string(reason.view())] {
        return file_help_request(job, contact, reason);
    });
}

FlowJob Flow::check_recovery_code(Secret typed) {
    // std::function needs a copyable callable: the secret travels in a shared_ptr.
    auto code = std::make_shared<Secret>(std::move(typed));
    return job(FlowJob::Lane::General, [job = job_context(), code] { return verify_recovery_code(job, *code); });
}

FlowJob Flow::check_approval_code(Secret typed) {
    auto code = std::make_shared<Secret>(std::move(typed));
    return job(FlowJob::Lane::General, [job = job_context(), code] { return verify_approval_code(job, *code); });
}

// A bad choice is asked again, up to kMaxAttempts in all, whichever check
// refuses it: a typing problem here (the job only writes the audit row), or
// a password rule where the rotation runs (the rules compare the password
// with hashes, which never happens on the event loop).
FlowJob Flow::set_new_password(Secret first, const Secret& second) {
    const bool last = ++attempts_ >= kMaxAttempts;
    std::string problem = typing_problem(first, second);
    if (!problem.empty()) {
        return job(FlowJob::Lane::General, [job = job_context(), problem, last]() -> FlowOutcome {
            (void)job.record("password.check", "failed", problem);
            if (last)
                return {FlowStep::Finished, last_password_refusal(problem), {}, {}};
            return {FlowStep::AwaitNewPassword, new_password_request({{MessageStyle::ErrorMsg, problem}}), {}, {}};
        });
    }
    auto password = std::make_shared<Secret>(std::move(first));
    return job(FlowJob::Lane::ShadowWriter, [job = job_context(), proof = proof_, password, last] {
        return rotate_password(job, proof, *password, last);
    });
}

FlowJob Flow::job(FlowJob::Lane lane, std::function<FlowOutcome()> work) {
    job_out_ = true;
    return FlowJob{lane, std::move(work)};
}

}  // namespace recoveryd
