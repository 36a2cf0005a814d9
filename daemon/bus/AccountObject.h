#pragma once
// The Account interface on /io/recoveryd/Recovery1: any local user, on their
// own account. Handlers authorize, validate, and hand the work (which may
// block) to the workers; a caller has at most kMaxCallsPerCaller calls out,
// and at most one password check per uid is in flight.

#include <set>
#include <sys/types.h>

#include "common/Result.h"
#include "common/SdBus.h"
#include "daemon/Services.h"
#include "daemon/account/AccountService.h"
#include "daemon/bus/CallsPerCaller.h"
#include "daemon/workers/WorkerPool.h"

namespace recoveryd {

class AccountObject {
public:
    AccountObject(Services& services, WorkerPool& workers) : accounts_(services), workers_(workers) {}
    Result<void> export_on(sd_bus* bus);

private:
    static int on_get_status(sd_bus_message* message, void* userdata, sd_bus_error* error);
    static int on_enroll_recovery_codes(sd_bus_message* message, void* userdata, sd_bus_error* error);

    AccountService accounts_;
    WorkerPool& workers_;
    CallsPerCaller calls_out_{kMaxCallsPerCaller};
    std::set<uid_t> checking_password_;  // uids with a password check in flight
    BusSlotPtr slot_;
};

}  // namespace recoveryd
