#include "daemon/flow/FlowReply.h"

#include <algorithm>

namespace recoveryd {

std::size_t FlowReply::prompt_count() const {
    return static_cast<std::size_t>(std::count_if(messages.begin(), messages.end(),
                                                  [](const FlowMessage& m) { return is_prompt(m.style); }));
}

}  // namespace recoveryd
