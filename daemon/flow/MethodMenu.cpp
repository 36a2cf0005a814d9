#include "daemon/flow/MethodMenu.h"

#include <string>

#include "daemon/flow/FlowMessages.h"

namespace recoveryd {

FlowReply method_menu(std::vector<FlowMessage> preface) {
    preface.push_back({MessageStyle::TextInfo, texts::kMenuIntro});
    for (std::size_t i = 0; i < kMethodMenu.size(); ++i)
        preface.push_back({MessageStyle::TextInfo, "  " + std::to_string(i + 1) + ". " + kMethodMenu[i].label});
    preface.push_back({MessageStyle::PromptEchoOn, texts::menu_prompt(kMethodMenu.size())});
    return {FlowState::Continue, std::move(preface), false};
}

std::optional<FlowStep> parse_method_choice(std::string_view answer) {
    const auto first = answer.find_first_not_of(' ');
    const auto last = answer.find_last_not_of(' ');
    if (first == std::string_view::npos || first != last)
        return std::nullopt;  // one digit: the menu has fewer than ten entries
    const char digit = answer[first];
    if (digit < '1' || static_cast<std::size_t>(digit - '0') > kMethodMenu.size())
        return std::nullopt;
    return kMethodMenu[static_cast<std::size_t>(digit - '1')].first_step;
}

}  // namespace recoveryd
