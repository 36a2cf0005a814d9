#pragma once
// What one Flow.Next call answers: a state and the messages to render.

#include <string>
#include <vector>

#include "common/FlowProtocol.h"

namespace recoveryd {

struct FlowMessage {
    MessageStyle style;
    std::string text;
};

struct FlowReply {
    FlowState state = FlowState::Continue;
    std::vector<FlowMessage> messages;
    // Answers a secret (right or wrong): the bus layer delivers it a fixed
    // time after the answer arrived, so that timing tells nothing
    // (DESIGN.md invariant 7).
    bool verdict = false;

    std::size_t prompt_count() const;
};

}  // namespace recoveryd
