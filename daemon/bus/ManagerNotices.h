#pragma once
// Manager.TakeNotices on /io/recoveryd/Recovery1: the notices waiting for
// the owner of an account whose password was reset, taken once by the PAM
// module's session part at their next login (daemon/resets/OwnerNotices).
// Root only, authorized like StartFlow. A vtable of its own on the Manager
// interface; the account lookup (NSS may block) and the store run on a
// worker.

#include "common/Result.h"
#include "common/SdBus.h"
#include "daemon/Services.h"
#include "daemon/workers/WorkerPool.h"

namespace recoveryd {

class ManagerNotices {
public:
    ManagerNotices(Services& services, WorkerPool& workers) : services_(services), workers_(workers) {}
    Result<void> export_on(sd_bus* bus);

private:
    static int on_take_notices(sd_bus_message* message, void* userdata, sd_bus_error* error);

    Services& services_;
    WorkerPool& workers_;
    BusSlotPtr slot_;
};

}  // namespace recoveryd
