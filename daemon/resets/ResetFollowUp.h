#pragma once
// What follows every password reset once the new hash is written and its
// success row recorded, on the thread that wrote it: after a recovery at a
// login prompt, the name's failed checks forgotten, the request whose
// approval code was used completed, and pam_faillock's tally cleared so that
// the new password works at once; then for every reset the owner's notice
// for their next login, which also deletes the reset's rotation intent
// (RotationIntents.h). A crash before that notice leaves the intent, and the
// next start does all of this again: every step but the notice is harmless
// to repeat. Each outcome is audited; none undoes the reset (a failure is
// recorded and the person keeps their new password). The notify hook runs
// elsewhere, off this thread (daemon/bus/Announcer).

#include <functional>
#include <string>

#include "common/ClockReading.h"
#include "common/Result.h"
#include "daemon/resets/FaillockTally.h"
#include "daemon/resets/OwnerNotices.h"
#include "daemon/Services.h"
#include "daemon/resets/PasswordReset.h"

namespace recoveryd {

// Writes one audit row of the caller's (its actor, its login's context).
using ResetAudit = std::function<Result<void>(const char* action, const char* outcome, std::string detail)>;

// Everything above, as every writer of a new hash runs it (a flow, an
// administrator's reset, a start that finds an interrupted change made):
// close_recovery, then reset_tally_and_leave_notice. `intent`: the reset's
// recorded rotation intent, gone when this returns.
void follow_up_reset(const PasswordReset& reset, Services& services, std::int64_t intent, const ResetAudit& record);

// Its steps. After a recovery: its name's failed checks forgotten (its
// source's are not: the owner proved who they are), audited "limits.clear"
// when that fails; and its request, if an approval code was used,
// completed, audited "request.complete". Nothing for an administrator's
// reset.
void close_recovery(const PasswordReset& reset, Store& store, const ClockReading& now, const ResetAudit& record);

// Audited as "faillock.reset" (a recovery's only) and "notice.add"; the
// intent (when not 0) goes with the notice (OwnerNotices::leave).
void reset_tally_and_leave_notice(const PasswordReset& reset, OwnerNotices& notices, const FaillockTool& faillock,
                                  std::int64_t intent, const ResetAudit& record);

// The notice alone, audited "notice.add"; the intent (when not 0) goes
// with it.
void leave_notice(const PasswordReset& reset, OwnerNotices& notices, std::int64_t intent, const ResetAudit& record);

}  // namespace recoveryd
