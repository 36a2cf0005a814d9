#pragma once
// Keeps the current password and the new codes out of core dumps and out of
// reach of other processes of the same user (ptrace, /proc/PID/mem,
// /proc/PID/environ): a non-dumpable process's /proc files belong to root.

#include "common/Result.h"

namespace recoveryd::ctl {

// For the rest of the process's life, on purpose: copies of the secrets stay
// in memory that nothing wipes (stdio's output buffer, the terminal driver's
// reads), so there is no safe moment to become dumpable again.
Result<void> make_not_dumpable();

}  // namespace recoveryd::ctl
