#pragma once
// The policy in force, which `recoveryctl reload` may replace while workers
// read it. Readers take a snapshot and keep it for the work at hand (a flow
// keeps the one it started with), so a reload never changes a decision
// half-way.

#include <memory>
#include <mutex>

#include "daemon/policy/Policy.h"

namespace recoveryd {

class CurrentPolicy {
public:
    explicit CurrentPolicy(Policy initial) : policy_(std::make_shared<const Policy>(std::move(initial))) {}

    std::shared_ptr<const Policy> get() const {
        std::lock_guard lock(mutex_);
        return policy_;
    }
    void replace(Policy next) {
        auto fresh = std::make_shared<const Policy>(std::move(next));
        std::lock_guard lock(mutex_);
        policy_.swap(fresh);
    }

private:
    mutable std::mutex mutex_;
    std::shared_ptr<const Policy> policy_;
};

}  // namespace recoveryd
