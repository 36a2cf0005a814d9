#pragma once
// The identity checks by code, run on a worker: a recovery code the person
// saved, or an approval code an administrator gave them. Each takes the
// same steps for every name (look up, read the shadow entry, normalize,
// hash, one store transaction, one audit row) and paces its verdict
// (FlowReply::verdict), so neither time nor transcript tells an unknown,
// excluded or locked account from a wrong code (DESIGN.md invariant 7).

#include "common/Secret.h"
#include "daemon/flow/FlowJobContext.h"
#include "daemon/flow/FlowReply.h"

namespace recoveryd {

FlowOutcome verify_recovery_code(const FlowJobContext& job, const Secret& typed);
FlowOutcome verify_approval_code(const FlowJobContext& job, const Secret& typed);

}  // namespace recoveryd
