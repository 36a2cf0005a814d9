#pragma once
// Limits on failed identity checks (a wrong recovery code, a wrong
// administrator code, any later method): per typed user name, per source
// (remote host, or the terminal of a local login) and in total. Plain data,
// shared by the policy (which reads it from [Limits]) and the store (which
// counts). Defaults live in policy/recoveryd.conf.

#include <chrono>
#include <cstdint>

namespace recoveryd {

// `max_failures` failed checks within `window` lock the key out for
// `lockout`; a lockout that begins within one window of the previous one's
// end lasts twice as long as that one, up to AttemptLimits::max_lockout.
struct FailureLimit {
    std::uint32_t max_failures = 0;
    std::chrono::seconds window{0};
    std::chrono::seconds lockout{0};
};

struct AttemptLimits {
    FailureLimit per_user;
    FailureLimit per_source;
    FailureLimit total;
    std::chrono::seconds max_lockout{0};
};

}  // namespace recoveryd
