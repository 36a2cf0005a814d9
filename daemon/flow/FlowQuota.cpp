#include "daemon/flow/FlowQuota.h"

namespace recoveryd {
namespace {

template <typename Map, typename Key>
void decrement(Map& counts, const Key& key) {
    const auto it = counts.find(key);
    if (it != counts.end() && --it->second == 0)
        counts.erase(it);
}

}  // namespace

// A flow counts per remote host when it has one (sshd says tty "ssh" for
// all), else per terminal; and per invoking user when that is not root.
template <typename Visit>
void FlowQuota::for_each_counter(const FlowLimits& limits, const FlowContext& context, Visit visit) {
    if (const std::int64_t user = context.invoking_user(); user != FlowContext::kUnknownUid)
        visit(per_user_, user, limits.max_per_user);
    if (!context.rhost.empty())
        visit(per_remote_host_, context.rhost, limits.max_per_remote_host);
    else if (!context.tty.empty())
        visit(per_tty_, context.tty, limits.max_per_tty);
}

Result<void> FlowQuota::admit(const FlowLimits& limits, const FlowContext& context) {
    const auto full = make_error(ErrorCode::Unavailable,
                                 "too many recovery conversations are open; try again later");
    if (total_ >= limits.max_open_flows)
        return full;
    bool within = true;
    for_each_counter(limits, context, [&](auto& counts, const auto& key, std::size_t cap) {
        const auto it = counts.find(key);
        within = within && (it == counts.end() || it->second < cap);
    });
    if (!within)
        return full;
    for_each_counter(limits, context, [](auto& counts, const auto& key, std::size_t) { ++counts[key]; });
    ++total_;
    return {};
}

void FlowQuota::release(const FlowContext& context) {
    // The caps do not matter for which counters a context occupies.
    const FlowLimits any{};
    for_each_counter(any, context, [](auto& counts, const auto& key, std::size_t) { decrement(counts, key); });
    if (total_ > 0)
        --total_;
}

}  // namespace recoveryd
