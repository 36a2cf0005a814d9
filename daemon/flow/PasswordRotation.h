#pragma once
// The new password, run on the shadow-writer thread: checked against the
// password rules (daemon/password) with the account's recent passwords; a
// refusal shows the rule's message and asks again, or ends the flow when
// it was the last try. A password that passes is checked again against the
// account the identity check proved (the name may have been reused
// meanwhile), hashed as pam_unix would, written to /etc/shadow, and the hash
// it replaced goes into the history; then the request for help whose
// approval code was used, if any, is completed; the
// owner gets a notice for their next login and pam_faillock's tally is
// cleared (daemon/resets).

#include "common/Secret.h"
#include "daemon/flow/FlowJobContext.h"
#include "daemon/flow/FlowReply.h"

namespace recoveryd {

FlowOutcome rotate_password(const FlowJobContext& job, const IdentityProof& proof, const Secret& password,
                            bool last_try);

}  // namespace recoveryd
