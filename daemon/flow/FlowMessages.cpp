#include "daemon/flow/FlowMessages.h"

namespace recoveryd {

std::string texts::code_accepted(std::size_t min_password_length) {
    return "Recovery code accepted. Choose a new password of at least " + std::to_string(min_password_length) +
           " characters.";
}

std::string texts::too_short(std::size_t min_password_length) {
    return "The new password is too short: use at least " + std::to_string(min_password_length) + " characters.";
}

FlowReply final_reply(FlowState state, MessageStyle style, std::string text) {
    return {state, {{style, std::move(text)}}, false};
}

FlowReply new_password_request(std::vector<FlowMessage> preface) {
    preface.push_back({MessageStyle::PromptEchoOff, texts::kNewPasswordPrompt});
    preface.push_back({MessageStyle::PromptEchoOff, texts::kRetypePasswordPrompt});
    return {FlowState::Continue, std::move(preface), false};
}

}  // namespace recoveryd
