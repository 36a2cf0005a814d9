#include "daemon/bus/BusServer.h"

#include <cerrno>
#include <cstring>
#include <string>

#include "common/BusNames.h"
#include "daemon/bus/Authorization.h"
#include "daemon/bus/BusErrors.h"
#include "daemon/bus/HandlerGuard.h"
#include "daemon/bus/MessageReader.h"
#include "daemon/bus/PendingCall.h"
#include "daemon/policy/CurrentPolicy.h"
#include "daemon/policy/Offering.h"
#include "daemon/policy/PolicyLoader.h"

namespace recoveryd {

namespace {

Error bus_failure(const char* what, int r) {
    return make_error(ErrorCode::Unavailable, std::string(what) + ": " + std::strerror(-r));
}

}  // namespace

Result<std::unique_ptr<BusServer>> BusServer::start(sd_event* event, Services& services) {
    sd_bus* raw = nullptr;
    if (const int r = sd_bus_open_system(&raw); r < 0)
        return bus_failure("cannot connect to the system bus", r);
    std::unique_ptr<BusServer> server(new BusServer(BusPtr(raw), services));
    if (const int r = sd_bus_attach_event(raw, event, SD_EVENT_PRIORITY_NORMAL); r < 0)
        return bus_failure("cannot attach to the event loop", r);
    // Without the bus the daemon can serve nobody: the loop ends with
    // EXIT_FAILURE, and systemd (or bus activation) starts a fresh one.
    if (const int r = sd_bus_set_exit_on_disconnect(raw, 1); r < 0)
        return bus_failure("cannot watch the bus connection", r);
    if (auto exported = server->export_objects(event); !exported)
        return exported.error();
    if (const int r = sd_bus_request_name(raw, bus::kServiceName, 0); r < 0)
        return bus_failure("cannot own the name io.recoveryd.Recovery1 (is another recoveryd running, "
                           "and is dbus/io.recoveryd.Recovery1.conf installed?)",
                           r);
    auto idle_exit = IdleExit::start(
        event, raw, bus::kServiceName, [&services] { return services.policy.get()->daemon.idle_exit; },
        [self = server.get()] { return self->idle(); }, [self = server.get()] { return self->settled(); });
    if (!idle_exit)
        return idle_exit.error();
    server->idle_exit_ = std::move(idle_exit.value());
    return server;
}

BusServer::~BusServer() {
    workers_.reset();
    shadow_writer_.reset();
    hooks_.reset();
}

bool BusServer::idle() const {
    return flows_->idle() && workers_->idle() && shadow_writer_->idle() && hooks_->idle();
}

// Hooks are not waited for: the one running finishes in ~BusServer, and
// one queued is dropped, with an audit row saying it was not run.
bool BusServer::settled() const {
    return flows_->settled() && workers_->idle() && shadow_writer_->idle();
}

Result<void> BusServer::export_objects(sd_event* event) {
    auto workers = WorkerPool::start(event, kWorkers, kMaxQueuedJobs);
    if (!workers)
        return workers.error();
    workers_ = std::move(workers.value());
    // One thread: password rotations (hashing, lock, rewrite) stay serialized.
    auto shadow_writer = WorkerPool::start(event, 1, kMaxQueuedJobs);
    if (!shadow_writer)
        return shadow_writer.error();
    shadow_writer_ = std::move(shadow_writer.value());
    auto hooks = WorkerPool::start(event, 1, kMaxQueuedHooks);
    if (!hooks)
        return hooks.error();
    hooks_ = std::move(hooks.value());
    announcer_ = std::make_unique<Announcer>(bus_.get(), *hooks_, services_);

    static const sd_bus_vtable manager_vtable[] = {
        SD_BUS_VTABLE_START(0),
        SD_BUS_METHOD_WITH_ARGS("StartFlow", SD_BUS_ARGS("s", user, "a{sv}", context), SD_BUS_RESULT("o", flow),
                                on_start_flow, SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("MayOffer", SD_BUS_ARGS("a{sv}", context), SD_BUS_RESULT("b", offered),
                                on_may_offer, SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_SIGNAL_WITH_ARGS("RequestFiled", SD_BUS_ARGS("s", id, "s", user), 0),
        SD_BUS_VTABLE_END,
    };
    sd_bus_slot* slot = nullptr;
    if (const int r = sd_bus_add_filter(bus_.get(), &slot, mark_typed_secrets_sensitive, nullptr); r < 0)
        return bus_failure("cannot watch the bus for typed secrets", r);
    secrets_filter_.reset(slot);
    if (const int r = sd_bus_add_object_vtable(bus_.get(), &slot, bus::kObjectPath, bus::kManagerInterface,
                                               manager_vtable, this);
        r < 0)
        return bus_failure("cannot export the Manager interface", r);
    manager_slot_.reset(slot);

    flows_ = std::make_unique<FlowRegistry>(bus_.get(), event, services_, *workers_, *shadow_writer_, *announcer_);
    account_ = std::make_unique<AccountObject>(services_, *workers_);
    admin_ = std::make_unique<AdminObject>(services_, *workers_, *shadow_writer_, *announcer_,
                                           [] { return load_policy(); });
    notices_ = std::make_unique<ManagerNotices>(services_, *workers_);
    for (auto exported : {flows_->export_flows(), account_->export_on(bus_.get()), admin_->export_on(bus_.get()),
                          notices_->export_on(bus_.get())})
        if (!exported)
            return exported;
    return {};
}

int BusServer::on_start_flow(sd_bus_message* message, void* userdata, sd_bus_error* error) {
    auto& self = *static_cast<BusServer*>(userdata);
    return guard_handler(error, [&]() -> int {
        if (auto caller = authorize_manager(message); !caller)
            return reply_with_error(error, caller.error());
        // Giving up the name for idleness: later calls reach a new instance,
        // which would not know this flow. Rare: it takes a call in the
        // moment between the release and its answer. The module calls
        // again, and the bus starts the next instance.
        if (self.idle_exit_ && self.idle_exit_->leaving())
            return sd_bus_error_set(error, bus::kErrorStopping, "recoveryd is stopping; call again");
        auto user = read_user_name(message);
        if (!user)
            return reply_with_error(error, user.error());
        auto context = read_flow_context(message);
        if (!context)
            return reply_with_error(error, context.error());
        auto started = self.flows_->start(PendingCall(message), std::move(user.value()), std::move(context.value()));
        return started ? 1 : reply_with_error(error, started.error());
    });
}

// A policy lookup: answered on the loop, with nothing to audit (it decides
// nothing about an account and changes nothing; StartFlow checks again).
int BusServer::on_may_offer(sd_bus_message* message, void* userdata, sd_bus_error* error) {
    auto& self = *static_cast<BusServer*>(userdata);
    return guard_handler(error, [&]() -> int {
        if (auto caller = authorize_manager(message); !caller)
            return reply_with_error(error, caller.error());
        auto context = read_flow_context(message);
        if (!context)
            return reply_with_error(error, context.error());
        const bool offered = recovery_offered(*self.services_.policy.get(), *context);
        return sd_bus_reply_method_return(message, "b", static_cast<int>(offered));
    });
}

}  // namespace recoveryd
