#include "daemon/resets/ResetFollowUp.h"

#include "daemon/methods/ApprovalCodes.h"

namespace recoveryd {

void close_recovery(const PasswordReset& reset, Store& store, const ClockReading& now, const ResetAudit& record) {
    if (reset.way != ResetWay::Recovery)
        return;
    if (auto cleared = store.clear_failed_checks(reset.user); !cleared)
        (void)record("limits.clear", "error", cleared.error().message);
    if (reset.request_id.empty())
        return;
    const auto completed = store.complete_request(reset.request_id, now);
    (void)record("request.complete", completed ? "ok" : "error",
                 "request " + format_request_id(reset.request_id) +
                     (completed ? std::string() : ": " + completed.error().message));
}

void reset_tally_and_leave_notice(const PasswordReset& reset, OwnerNotices& notices, const FaillockTool& faillock,
                                  std::int64_t intent, const ResetAudit& record) {
    // An administrator's reset leaves the tally alone: `recoveryctl unlock`
    // is the administrator's own decision.
    if (reset.way == ResetWay::Recovery) {
        if (auto cleared = reset_faillock_tally(reset.user, faillock); !cleared)
            (void)record("faillock.reset", "error",
                         cleared.error().message + " (the new password is set all the same)");
        else
            (void)record("faillock.reset", "ok", {});
    }
    // Last: the notice ends what a start would otherwise repeat.
    leave_notice(reset, notices, intent, record);
}

void leave_notice(const PasswordReset& reset, OwnerNotices& notices, std::int64_t intent, const ResetAudit& record) {
    if (auto left = notices.leave(reset, intent); !left)
        (void)record("notice.add", "error", left.error().message);
    else
        (void)record("notice.add", "ok", "shown at the next login");
}

void follow_up_reset(const PasswordReset& reset, Services& services, std::int64_t intent, const ResetAudit& record) {
    close_recovery(reset, services.store, services.clock(), record);
    OwnerNotices notices(services.store, services.notice_markers);
    reset_tally_and_leave_notice(reset, notices, services.faillock, intent, record);
}

}  // namespace recoveryd
