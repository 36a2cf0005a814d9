#pragma once
// How many calls each caller has out on the workers. Anyone may call the
// Account and Admin interfaces, and each call waits on a worker that logins
// share: one caller (root excepted) may have only a few out at once, so
// nobody can fill that queue. Used on the event loop only.

#include <map>
#include <sys/types.h>

#include "common/Result.h"

namespace recoveryd {

// Per caller, for each interface.
inline constexpr unsigned kMaxCallsPerCaller = 4;

// Unavailable: what a caller with too many calls out is told.
Error too_many_calls();

class CallsPerCaller {
public:
    explicit CallsPerCaller(unsigned max) : max_(max) {}

    // Counts a call of `uid`'s; false, counting nothing, when it has `max`
    // out already. Every true is matched by one done(uid).
    bool start(uid_t uid);
    void done(uid_t uid);

private:
    unsigned max_;
    std::map<uid_t, unsigned> out_;  // callers with calls out, root not counted
};

}  // namespace recoveryd
