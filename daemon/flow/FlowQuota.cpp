#include "daemon/flow/FlowQuota.h"


namespace recoveryd {
namespace {

// The user on whose behalf the login runs: the audit login uid when the
// kernel has one (it survives su and sudo), else the application's real uid.
// Root (and unknown) is nobody's quota: root programs serve everyone.
std::int64_t invoking_user(const FlowContext& context) {
    const std::int64_t uid = context.login_uid != FlowContext::kUnknownUid ? context.login_uid : context.app_uid;
    return uid > 0 ? uid : FlowContext::kUnknownUid;
}

// The counters a flow from `context` occupies, each with its cap. A flow
// counts per remote host when it has one (sshd says tty "ssh" for all), else
// per terminal.
template <typename Visit>
void for_each_counter(std::map<std::int64_t, std::size_t>& per_user, std::map<std::string, std::size_t>& per_tty,
                      std::map<std::string, std::size_t>& per_remote_host, const FlowLimits& limits,
                      const FlowContext& context, Visit visit) {
    if (const std::int64_t user = invoking_user(context); user != FlowContext::kUnknownUid)
        visit(per_user, user, limits.max_per_user);
    if (!context.rhost.empty())
        visit(per_remote_host, context.rhost, limits.max_per_remote_host);
    else if (!context.tty.empty())
        visit(per_tty, context.tty, limits.max_per_tty);
}

template <typename Map, typename Key>
void decrement(Map& counts, const Key& key) {
    const auto it = counts.find(key);
    if (it != counts.end() && --it->second == 0)
        counts.erase(it);
}

}  // namespace

Result<void> FlowQuota::admit(const FlowLimits& limits, const FlowContext& context) {
    const auto full = make_error(ErrorCode::Unavailable,
                                 "too many recovery conversations are open; try again later");
    if (total_ >= limits.max_open_flows)
        return full;
    bool within = true;
    for_each_counter(per_user_, per_tty_, per_remote_host_, limits, context,
                     [&](auto& counts, const auto& key, std::size_t cap) {
                         const auto it = counts.find(key);
                         within = within && (it == counts.end() || it->second < cap);
                     });
    if (!within)
        return full;
    for_each_counter(per_user_, per_tty_, per_remote_host_, limits, context,
                     [](auto& counts, const auto& key, std::size_t) { ++counts[key]; });
    ++total_;
    return {};
}

void FlowQuota::release(const FlowContext& context) {
    // The caps do not matter for which counters a context occupies.
    const FlowLimits any{};
    for_each_counter(per_user_, per_tty_, per_remote_host_, any, context,
                     [](auto& counts, const auto& key, std::size_t) { decrement(counts, key); });
    if (total_ > 0)
        --total_;
}

}  // namespace recoveryd
