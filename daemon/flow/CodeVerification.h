#pragma once
// The recovery-code step's work (on a worker): may block on the user
// database, the shadow file and the store.

#include "common/Secret.h"
#include "daemon/flow/FlowJobContext.h"
#include "daemon/flow/FlowReply.h"

namespace recoveryd {

// Checks `typed` for job.user and consumes it when it is right. Every kind of
// account does the same work and gets the same words (invariant 7); the
// reply is a verdict, paced by the bus layer.
FlowOutcome verify_recovery_code(const FlowJobContext& job, const Secret& typed);

}  // namespace recoveryd
