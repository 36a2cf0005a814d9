#pragma once
// Tells administrators what happened: the signal Manager.RequestFiled (for
// `recoveryctl watch`) at once when a request for help is filed, and the
// policy's notify hook for every request and every password reset. Hooks
// run one at a time on a thread of their own, never on the workers or the
// shadow writer, so a slow or hanging hook delays no login, no rotation and
// no other call. Each run is audited; a failure is never fatal.

#include <functional>
#include <string>

#include <systemd/sd-bus.h>

#include "common/Result.h"
#include "daemon/Services.h"
#include "daemon/flow/FlowJobContext.h"
#include "daemon/flow/FlowReply.h"
#include "daemon/hooks/NotifyHook.h"
#include "daemon/policy/Policy.h"
#include "daemon/resets/PasswordReset.h"
#include "daemon/workers/WorkerPool.h"

namespace recoveryd {

// The hook's environment for a reset (RECOVERYD_EVENT=password-reset).
HookEvent password_reset_event(const PasswordReset& reset);

class Announcer {
public:
    Announcer(sd_bus* bus, WorkerPool& hooks, Services& services) : bus_(bus), hooks_(hooks), services_(services) {}

    // On the loop, with what a job of the flow that filed it may know.
    void request_filed(const FiledRequest& filed, const FlowJobContext& job);
    // On the loop, once the new password is written (by a flow or an
    // administrator), under the policy in force now.
    void password_reset(const PasswordReset& reset);

private:
    // Writes the hook's audit row (action hook.notify).
    using HookAudit = std::function<void(const char* outcome, std::string detail)>;

    // Queues one run of the hook; `event` is made on the hooks' thread (it
    // may read the store). `what` names the event in the audit row.
    void queue_hook(const AdminPolicy& admin, std::string what, std::function<Result<HookEvent>()> event,
                    HookAudit audit);

    sd_bus* bus_;
    WorkerPool& hooks_;
    Services& services_;
};

}  // namespace recoveryd
