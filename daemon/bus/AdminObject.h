#pragma once
// The Admin interface on /io/recoveryd/Recovery1: administrators only
// (daemon/bus/Authorization). Handlers authorize, validate, and hand the
// work to the workers.

#include "common/Result.h"
#include "common/SdBus.h"
#include "daemon/Services.h"
#include "daemon/admin/AdminService.h"
#include "daemon/workers/WorkerPool.h"

namespace recoveryd {

class AdminObject {
public:
    AdminObject(Services& services, WorkerPool& workers) : admin_(services), workers_(workers) {}
    Result<void> export_on(sd_bus* bus);

private:
    static int on_forget_user(sd_bus_message* message, void* userdata, sd_bus_error* error);

    AdminService admin_;
    WorkerPool& workers_;
    BusSlotPtr slot_;
};

}  // namespace recoveryd
