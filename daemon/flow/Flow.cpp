#include "daemon/flow/Flow.h"

#include <ctime>
#include <string>
#include <utility>

#include "common/FlowProtocol.h"
#include "common/Validation.h"
#include "daemon/audit/AuditLog.h"
#include "daemon/crypto/SecretKey.h"
#include "daemon/methods/RecoveryCodes.h"
#include "daemon/policy/Eligibility.h"
#include "daemon/policy/Policy.h"
#include "daemon/shadow/PasswordHasher.h"
#include "daemon/shadow/ShadowFile.h"
#include "daemon/store/Store.h"
#include "daemon/users/UserDatabase.h"

namespace recoveryd {

namespace {

constexpr unsigned kMaxPasswordAttempts = 3;

constexpr const char* kCodeIntro =
    "Enter one of the recovery codes you saved when you set up account recovery.";
constexpr const char* kCodePrompt = "Recovery code: ";
constexpr const char* kCodeRejected = "That recovery code is not valid.";
constexpr const char* kNewPasswordPrompt = "New password: ";
constexpr const char* kRetypePasswordPrompt = "Retype new password: ";
constexpr const char* kMismatch = "The passwords do not match.";
constexpr const char* kBadCharacters = "The new password may not contain control characters.";
constexpr const char* kTooManyAttempts = "Too many attempts. Start again from the login prompt.";
constexpr const char* kChangedSignIn = "Your password has been changed. Sign in with your new password.";
constexpr const char* kChanged = "Your password has been changed.";
constexpr const char* kNotChanged =
    "Your password could not be changed. Try again later, or ask an administrator.";

std::size_t count_characters(std::string_view utf8) {
    std::size_t count = 0;
    for (const char c : utf8)
        count += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    return count;
}

long days_since_epoch() { return static_cast<long>(std::time(nullptr) / 86400); }

}  // namespace

Flow::Flow(Services& services, std::string user, FlowContext context)
    : services_(services), user_(std::move(user)), context_(std::move(context)) {}

Result<FlowReply> Flow::next(std::vector<Secret> answers) {
    if (step_ == Step::Finished)
        return make_error(ErrorCode::NotFound, "this recovery conversation has ended; start a new one");
    if (answers.size() != expected_answers_)
        return make_error(ErrorCode::InvalidArgument,
                          "expected " + std::to_string(expected_answers_) + " answer(s), got " +
                              std::to_string(answers.size()));

    FlowReply reply;
    switch (step_) {
    case Step::Start: reply = ask_for_code(); break;
    case Step::AwaitCode:
        reply = check_code(answers[0]);
        reply.verdict = true;
        break;
    case Step::AwaitNewPassword: reply = set_new_password(answers[0], answers[1]); break;
    case Step::Finished: break;
    }
    expected_answers_ = reply.prompt_count();
    return reply;
}

FlowReply Flow::ask_for_code() {
    step_ = Step::AwaitCode;
    return {FlowState::Continue,
            {{MessageStyle::TextInfo, kCodeIntro}, {MessageStyle::PromptEchoOff, kCodePrompt}}};
}

FlowReply Flow::check_code(const Secret& typed) {
    // The same work for every user name and every input, so that neither the
    // transcript nor the time tells an unknown account, one without codes,
    // one that policy excludes and a wrong code apart (invariant 7): look the
    // account up with its groups, read its shadow entry, normalize, hash, one
    // store transaction. An excluded account's transaction uses a digest no
    // code has (the empty code's), so its codes are never consumed.
    const auto account = find_user_by_name(user_);
    const bool has_shadow_entry = services_.shadow.find(user_).ok();
    const bool excluded = account.ok() && !(may_recover(services_.policy, *account) && has_shadow_entry);

    auto normalized = normalize_recovery_code(typed.view());
    const bool well_formed = normalized.ok() && !excluded;
    const Secret candidate = well_formed ? std::move(normalized.value()) : Secret();
    const Digest digest = hash_recovery_code(services_.key, user_, candidate);
    const auto consumed = services_.store.consume_recovery_code(user_, digest);
    if (!consumed.ok()) {
        (void)record("code.verify", "error", consumed.error().message);
        return finish(FlowState::Failed, MessageStyle::ErrorMsg, kNotChanged);
    }
    const bool accepted = consumed.value() && well_formed && account.ok();

    if (!record("code.verify", accepted ? "ok" : "failed", excluded ? "account not recoverable by policy" : ""))
        return finish(FlowState::Failed, MessageStyle::ErrorMsg, kNotChanged);
    if (!accepted)
        return finish(FlowState::Failed, MessageStyle::ErrorMsg, kCodeRejected);
    return ask_for_new_password({{MessageStyle::TextInfo,
                                  "Recovery code accepted. Choose a new password of at least " +
                                      std::to_string(services_.policy.min_password_length) +
                                      " characters."}});
}

FlowReply Flow::ask_for_new_password(std::vector<FlowMessage> preface) {
    step_ = Step::AwaitNewPassword;
    preface.push_back({MessageStyle::PromptEchoOff, kNewPasswordPrompt});
    preface.push_back({MessageStyle::PromptEchoOff, kRetypePasswordPrompt});
    return {FlowState::Continue, std::move(preface)};
}

FlowReply Flow::set_new_password(const Secret& first, const Secret& second) {
    std::string problem;
    if (first.view() != second.view())
        problem = kMismatch;
    else if (!validate_text("password", first.view(), kMaxAnswerBytes).ok())
        problem = kBadCharacters;
    else if (count_characters(first.view()) < services_.policy.min_password_length)
        problem = "The new password is too short: use at least " +
                  std::to_string(services_.policy.min_password_length) + " characters.";

    if (!problem.empty()) {
        (void)record("password.check", "failed", problem);
        if (++password_attempts_ >= kMaxPasswordAttempts)
            return finish(FlowState::Failed, MessageStyle::ErrorMsg, kTooManyAttempts);
        return ask_for_new_password({{MessageStyle::ErrorMsg, problem}});
    }

    auto hash = services_.hasher.hash(first);
    Result<void> written = hash.ok() ? services_.shadow.set_password_hash(user_, hash->view(), days_since_epoch())
                                     : Result<void>(hash.error());
    if (!written) {
        (void)record("password.rotate", "error", written.error().message);
        return finish(FlowState::Failed, MessageStyle::ErrorMsg, kNotChanged);
    }
    (void)record("password.rotate", "ok");
    if (services_.policy.after_reset == AfterReset::Continue)
        return finish(FlowState::Succeeded, MessageStyle::TextInfo, kChanged);
    return finish(FlowState::PasswordChanged, MessageStyle::TextInfo, kChangedSignIn);
}

FlowReply Flow::finish(FlowState state, MessageStyle style, std::string text) {
    step_ = Step::Finished;
    return {state, {{style, std::move(text)}}};
}

Result<void> Flow::record_start() { return record("flow.start", "ok"); }

void Flow::record_end(const char* action) { (void)record(action, "ended"); }

Result<void> Flow::record(const char* action, const char* outcome, std::string detail) {
    AuditRecord entry{};
    entry.actor = "pam:" + (context_.service.empty() ? std::string("unknown") : context_.service);
    entry.target_user = user_;
    entry.service = context_.service;
    entry.tty = context_.tty;
    entry.rhost = context_.rhost;
    entry.action = action;
    entry.outcome = outcome;
    entry.detail = std::move(detail);
    return services_.audit.record(std::move(entry));
}

}  // namespace recoveryd
