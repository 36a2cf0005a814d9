#pragma once
// recoveryd on the system bus: the connection; the Manager, Account and
// Admin interfaces on /io/recoveryd/Recovery1; the flows; and the worker
// threads their blocking work runs on.

#include <memory>

#include "common/Result.h"
#include "common/SdBus.h"
#include "daemon/Services.h"
#include "daemon/bus/AccountObject.h"
#include "daemon/bus/AdminObject.h"
#include "daemon/bus/Announcer.h"
#include "daemon/bus/FlowRegistry.h"
#include "daemon/bus/IdleExit.h"
#include "daemon/bus/ManagerNotices.h"
#include "daemon/workers/WorkerPool.h"

namespace recoveryd {

class BusServer {
public:
    // Threads for blocking work, and a bound on what may wait for them.
    static constexpr std::size_t kWorkers = 4;
    static constexpr std::size_t kMaxQueuedJobs = 512;
    // Notify hooks run one at a time on their own thread; beyond this many
    // waiting, an event is announced without (a request by the signal only).
    static constexpr std::size_t kMaxQueuedHooks = 64;

    // Connects (honouring DBUS_SYSTEM_BUS_ADDRESS), exports the objects, then
    // takes the well-known name, so no call can arrive before the objects.
    // Ends the loop with 0 once idle for the policy's [Daemon] IdleExitSec.
    static Result<std::unique_ptr<BusServer>> start(sd_event* event, Services& services);
    // Once the loop has ended: lets the jobs running now finish while the
    // objects they use are still there, drops the queued ones.
    ~BusServer();
    BusServer(const BusServer&) = delete;
    BusServer& operator=(const BusServer&) = delete;

    // Nothing in progress: no flow, no job on a worker or the shadow
    // writer, no hook running (an Admin.VerifyAudit walk is a worker's job).
    bool idle() const;
    // Nothing in progress that ends by itself: no job (or its completion)
    // and no paced verdict; flows may be open, waiting for a person.
    bool settled() const;

    // A reset made before this instance served (a change an interrupted
    // instance made, settled at start): the notify hook, as for any reset.
    void announce_reset(const PasswordReset& reset) { announcer_->password_reset(reset); }

    // SIGTERM: give up the name, then end the loop with 0 once settled, so
    // a rotation in progress still answers its login (see IdleExit::stop).
    void stop() { idle_exit_->stop(); }

private:
    BusServer(BusPtr bus, Services& services) : bus_(std::move(bus)), services_(services) {}

    Result<void> export_objects(sd_event* event);
    static int on_start_flow(sd_bus_message* message, void* userdata, sd_bus_error* error);
    static int on_may_offer(sd_bus_message* message, void* userdata, sd_bus_error* error);

    BusPtr bus_;
    Services& services_;
    // Stopped first, by ~BusServer: a running job uses the objects below (an
    // admin reset runs on the Admin object's service), and no completion
    // runs after the loop has ended, so nothing calls the objects back.
    std::unique_ptr<WorkerPool> workers_;
    std::unique_ptr<WorkerPool> shadow_writer_;
    std::unique_ptr<WorkerPool> hooks_;
    std::unique_ptr<Announcer> announcer_;
    std::unique_ptr<FlowRegistry> flows_;
    std::unique_ptr<AccountObject> account_;
    std::unique_ptr<AdminObject> admin_;
    std::unique_ptr<ManagerNotices> notices_;
    BusSlotPtr secrets_filter_;
    BusSlotPtr manager_slot_;
    std::unique_ptr<IdleExit> idle_exit_;
};

}  // namespace recoveryd
