#pragma once
// `recoveryctl policy check` (what `recoveryd --check-policy` prints, read by
// the same code) and `recoveryctl reload` (the daemon re-reads its policy).

#include "daemon/policy/PolicyLoader.h"

namespace recoveryd::ctl {

// Prints the effective policy; a bad file: its "file:line: ..." message, 1.
int run_policy_check(const PolicyPaths& paths = {});

// A file the daemon refuses: its message (naming file:line), exit status 1;
// the policy in force stays.
int run_reload();

}  // namespace recoveryd::ctl
