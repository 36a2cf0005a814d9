#include "daemon/flow/FlowMessages.h"

namespace recoveryd {

std::string texts::menu_prompt(std::size_t entries) {
    return "Choose 1-" + std::to_string(entries) + ": ";
}

std::string texts::code_accepted(std::size_t min_length) {
    return "Code accepted. Choose a new password of at least " + std::to_string(min_length) +
           " characters.";
}

std::string texts::bad_text(std::string_view field, std::size_t max_characters) {
    return "Type your " + std::string(field) + " in at most " + std::to_string(max_characters) +
           " characters, on one line, without control characters.";
}

std::string texts::request_filed(std::string_view shown_id) {
    return "Your request for help has been sent: its number is " + std::string(shown_id) +
           ". An administrator will contact you to confirm who you are. When they give you a code, come back "
           "here, answer yes, and choose \"I have a code from an administrator\".";
}

FlowReply final_reply(FlowState state, MessageStyle style, std::string text) {
    return {state, {{style, std::move(text)}}, false};
}

FlowReply last_password_refusal(std::string problem) {
    return {FlowState::Failed,
            {{MessageStyle::ErrorMsg, std::move(problem)}, {MessageStyle::ErrorMsg, texts::kTooManyAttempts}},
            false};
}

FlowReply new_password_request(std::vector<FlowMessage> preface) {
    preface.push_back({MessageStyle::PromptEchoOff, texts::kNewPasswordPrompt});
    preface.push_back({MessageStyle::PromptEchoOff, texts::kRetypePasswordPrompt});
    return {FlowState::Continue, std::move(preface), false};
}

}  // namespace recoveryd
