#include "daemon/resets/ResetFollowUp.h"

namespace recoveryd {

void follow_up_reset(const PasswordReset& reset, OwnerNotices& notices, const FaillockTool& faillock,
                     const ResetAudit& record) {
    if (auto left = notices.leave(reset); !left)
        (void)record("notice.add", "error", left.error().message);
    else
        (void)record("notice.add", "ok", "shown at the next login");
    // An administrator's reset leaves the tally alone: `recoveryctl unlock`
    // is the administrator's own decision.
    if (reset.way != ResetWay::Recovery)
        return;
    if (auto cleared = reset_faillock_tally(reset.user, faillock); !cleared)
        (void)record("faillock.reset", "error", cleared.error().message + " (the new password is set all the same)");
    else
        (void)record("faillock.reset", "ok", {});
}

}  // namespace recoveryd
