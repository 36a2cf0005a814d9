#pragma once
// Counts the open flows by who and where they come from, and refuses a new
// one beyond the policy's caps ([Limits]), so that nobody can hold every
// flow: in total, per invoking user (su, sudo... run by someone other than
// root), per terminal (local logins) and per remote host.

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>

#include "common/Result.h"
#include "daemon/flow/FlowContext.h"
#include "daemon/policy/Policy.h"

namespace recoveryd {

class FlowQuota {
public:
    // Takes a place for a flow from `context`; Unavailable beyond a cap.
    Result<void> admit(const FlowLimits& limits, const FlowContext& context);
    // Gives back the place `admit` took for the same context.
    void release(const FlowContext& context);

    std::size_t open() const { return total_; }

private:
    // Calls visit(counts, key, cap) for each counter a flow from `context` occupies.
    template <typename Visit>
    void for_each_counter(const FlowLimits& limits, const FlowContext& context, Visit visit);

    std::size_t total_ = 0;
    std::map<std::int64_t, std::size_t> per_user_;
    std::map<std::string, std::size_t> per_tty_;
    std::map<std::string, std::size_t> per_remote_host_;
};

}  // namespace recoveryd
