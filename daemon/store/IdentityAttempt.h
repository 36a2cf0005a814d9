#pragma once
// One identity check as the rate limits see it (DESIGN.md invariant 6): who
// is tried, from where, under which limits, at what time. The store counts
// the attempt as failed, in the transaction that compares the secret and
// before it does, and forgets it only when the secret matched.

#include <chrono>
#include <cstdint>
#include <string>

#include "common/ClockReading.h"
#include "daemon/policy/AttemptLimits.h"

namespace recoveryd {

struct IdentityAttempt {
    std::string user;    // the typed name, known to the system or not
    std::string source;  // "rhost:HOST", "uid:N", "tty:TTY" or "service:NAME" (attempt_source)
    AttemptLimits limits;
    ClockReading clock;
};

// Which limit stopped an attempt.
enum class AttemptScope { None, User, Source, Total };

const char* scope_name(AttemptScope scope);  // "user", "source", "total"; "" for None

// What the rate limits made of one attempt. Blocked: nothing was compared.
struct AttemptVerdict {
    AttemptScope blocked_by = AttemptScope::None;
    std::int64_t blocked_until = 0;     // judged µs, when blocked
    AttemptScope locked_out = AttemptScope::None;  // a failure that began a lockout (the widest)
    std::int64_t lockout_until = 0;     // judged µs, with locked_out
    std::chrono::nanoseconds counting{0};  // spent counting, in the transaction (bench/ reports it)
    bool blocked() const { return blocked_by != AttemptScope::None; }
};

}  // namespace recoveryd
