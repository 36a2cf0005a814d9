#pragma once
// Tells administrators that a request for help was filed: the signal
// Manager.RequestFiled (for `recoveryctl watch`) at once, then the policy's
// notify hook on its own worker thread, so a slow or hanging hook never
// delays the person at the prompt nor any other call. The hook's outcome is
// audited; its failure is never fatal.

#include <systemd/sd-bus.h>

#include "daemon/flow/FlowJobContext.h"
#include "daemon/flow/FlowReply.h"
#include "daemon/workers/WorkerPool.h"

namespace recoveryd {

class RequestAnnouncer {
public:
    RequestAnnouncer(sd_bus* bus, WorkerPool& hooks) : bus_(bus), hooks_(hooks) {}

    // On the loop, with what a job of the flow that filed it may know.
    void announce(const FiledRequest& filed, const FlowJobContext& job);

private:
    sd_bus* bus_;
    WorkerPool& hooks_;
};

}  // namespace recoveryd
