#pragma once
// The new-password step's work (on the shadow-writer thread): hashing and the
// shadow file's lock and rewrite.

#include <cstdint>

#include "common/Secret.h"
#include "daemon/flow/FlowJobContext.h"
#include "daemon/flow/FlowReply.h"

namespace recoveryd {

// Sets `password` for job.user, which must still be the account (uid) the
// code was accepted for, and still recoverable: the shadow layer checks the
// account again under the password-database lock (invariant 12).
FlowOutcome rotate_password(const FlowJobContext& job, std::int64_t account_uid, const Secret& password);

}  // namespace recoveryd
