#pragma once
// The menu of identity checks at the login prompt. It is the same for every
// name (DESIGN.md invariant 7): what an account has enrolled shows only in
// whether its code is accepted. A new method (an authenticator app,
// security questions) joins by adding its entry here and its steps to Flow.

#include <array>
#include <optional>
#include <string_view>
#include <vector>

#include "daemon/flow/FlowReply.h"

namespace recoveryd {

struct MenuEntry {
    const char* label;
    FlowStep first_step;  // what the flow asks once this entry is chosen
};

inline constexpr std::array<MenuEntry, 3> kMethodMenu = {{
    {"Enter a recovery code", FlowStep::AwaitRecoveryCode},
    {"I have a code from an administrator", FlowStep::AwaitApprovalCode},
    {"Request help from an administrator", FlowStep::AwaitContact},
}};

// The menu after `preface` (an error about the previous choice, or nothing).
FlowReply method_menu(std::vector<FlowMessage> preface);

// "2" (spaces around it allowed) -> that entry's first step; nullopt for
// anything else.
std::optional<FlowStep> parse_method_choice(std::string_view answer);

}  // namespace recoveryd
