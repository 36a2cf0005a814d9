#pragma once
// The administrator's decisions: `approve ID [--note TEXT]`, `deny ID
// --reason TEXT`, `reset-password USER` and `unlock USER`. Each checks its
// arguments before it connects, so bad input never reaches the daemon.

#include <cstdint>
#include <string_view>

#include "common/Secret.h"
#include "ctl/AdminRecords.h"

namespace recoveryd::ctl {

// The code, when it expires (UTC and from `now`), and that it is read to the
// person only once they are known to be who they say.
SensitiveString format_approval(std::string_view id, const Approval& approval, std::uint64_t now);
// The temporary password and that the user must choose a new one.
SensitiveString format_temporary_password(std::string_view user, const Secret& password);

int run_approve(std::string_view id, std::string_view note);
int run_deny(std::string_view id, std::string_view reason);
int run_reset_password(std::string_view user);
int run_unlock(std::string_view user);

}  // namespace recoveryd::ctl
