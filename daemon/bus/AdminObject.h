#pragma once
// The Admin interface on /io/recoveryd/Recovery1. Anyone may call; every
// handler reads the caller from the message (authorize_admin), validates
// its arguments, and hands the rest to a worker, where the caller's right
// to administer is judged first, afresh (AdminService::admit), before any
// work. Resets go to the shadow-writer thread; nothing here blocks the loop.

#include <functional>
#include <memory>

#include "common/Result.h"
#include "common/SdBus.h"
#include "daemon/Services.h"
#include "daemon/admin/AdminService.h"
#include "daemon/bus/Announcer.h"
#include "daemon/bus/Authorization.h"
#include "daemon/bus/CallsPerCaller.h"
#include "daemon/bus/PendingCall.h"
#include "daemon/workers/WorkerPool.h"

namespace recoveryd {

class AdminObject {
public:
    // `announcer` hears of the passwords administrators reset.
    AdminObject(Services& services, WorkerPool& workers, WorkerPool& shadow_writer, Announcer& announcer,
                AdminService::PolicySource load_policy)
        : admin_(services, std::move(load_policy)), workers_(workers), shadow_writer_(shadow_writer),
          announcer_(announcer) {}
    Result<void> export_on(sd_bus* bus);

private:
    static int on_list_requests(sd_bus_message* message, void* userdata, sd_bus_error* error);
    static int on_approve_request(sd_bus_message* message, void* userdata, sd_bus_error* error);
    static int on_deny_request(sd_bus_message* message, void* userdata, sd_bus_error* error);
    static int on_reset_password(sd_bus_message* message, void* userdata, sd_bus_error* error);
    static int on_unlock(sd_bus_message* message, void* userdata, sd_bus_error* error);
    static int on_list_audit(sd_bus_message* message, void* userdata, sd_bus_error* error);
    static int on_verify_audit(sd_bus_message* message, void* userdata, sd_bus_error* error);
    static int on_reload_policy(sd_bus_message* message, void* userdata, sd_bus_error* error);
    static int on_forget_user(sd_bus_message* message, void* userdata, sd_bus_error* error);

    // Runs `work` for an administrator on `lane` and replies with `reply`
    // (or the error). Returns what the handler returns to sd-bus.
    template <typename T>
    int submit(sd_bus_message* message, sd_bus_error* error, WorkerPool& lane,
               std::function<Result<T>(AdminService&, const Administrator&)> work,
               std::function<int(sd_bus_message* call, const T& value)> reply,
               AdminScope scope = AdminScope::Administrators);

    AdminService admin_;
    WorkerPool& workers_;
    WorkerPool& shadow_writer_;
    Announcer& announcer_;
    // Anyone may call, and a refusal costs a lookup and an audit write on a
    // worker.
    CallsPerCaller calls_out_{kMaxCallsPerCaller};
    BusSlotPtr slot_;
};

}  // namespace recoveryd
