#include "daemon/audit/MessageIds.h"

#include <algorithm>

namespace recoveryd {

std::string_view message_id_for(std::string_view action) {
    const auto ids = message_ids();
    const auto found = std::lower_bound(ids.begin(), ids.end(), action,
                                        [](const MessageId& entry, std::string_view a) { return entry.action < a; });
    return found != ids.end() && found->action == action ? found->id : std::string_view();
}

}  // namespace recoveryd
