#pragma once
// Where recovery may start: the logins to which the PAM module offers it.
// The module asks (Manager.MayOffer) before it shows the offer, and
// StartFlow asks again, so no flow starts where the policy does not offer
// recovery. The answer depends on the login alone, never on the account
// (DESIGN.md invariant 7): it is asked with no user name.

#include <optional>
#include <string>
#include <string_view>

#include "common/Result.h"
#include "daemon/flow/FlowContext.h"
#include "daemon/policy/Policy.h"

namespace recoveryd {

// A PAM service name as [Recovery] Services may list it: the name of a file
// in /etc/pam.d as libpam looks it up (pam_start lower-cases the name, so
// an upper-case letter would never match): lower-case letters, digits and
// '.', '_', '-', starting with a letter or digit, at most 255 bytes.
Result<void> validate_service_name(std::string_view name);

// Why the policy does not offer recovery to a login from `context` (for the
// audit log and a direct caller's error), or nothing when it does: not when
// Enabled = no, nor for a PAM service that Services leaves out (a login that
// names no service is left out by any list), nor with AllowRemote = no for a
// login from a remote host (PAM_RHOST set).
std::optional<std::string> offer_refusal(const Policy& policy, const FlowContext& context);

inline bool recovery_offered(const Policy& policy, const FlowContext& context) {
    return !offer_refusal(policy, context).has_value();
}

}  // namespace recoveryd
