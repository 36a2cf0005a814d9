#pragma once
// The journal's MESSAGE_ID of each kind of audit event (the row's action).
// journal/recoveryd.catalog is the single source: the build compiles this
// table from it (cmake/JournalCatalog.cmake).

#include <span>
#include <string_view>

namespace recoveryd {

struct MessageId {
    std::string_view action;  // "flow.start"
    std::string_view id;      // 32 lowercase hex digits
};

// Every entry of the catalog, sorted by action.
std::span<const MessageId> message_ids();

// The action's id; empty when the catalog has none (a unit test sees to it
// that every action the daemon writes has one).
std::string_view message_id_for(std::string_view action);

}  // namespace recoveryd
