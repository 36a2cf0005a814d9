#pragma once
// recoveryd on the system bus: the connection, the Manager and Account
// interfaces on /io/recoveryd/Recovery1, and the registry of flow objects.

#include <memory>

#include "common/Result.h"
#include "common/SdBus.h"
#include "daemon/Services.h"
#include "daemon/account/AccountService.h"
#include "daemon/bus/FlowRegistry.h"

namespace recoveryd {

class BusServer {
public:
    // Connects (honouring DBUS_SYSTEM_BUS_ADDRESS), exports the objects, then
    // takes the well-known name, so no call can arrive before the objects.
    static Result<std::unique_ptr<BusServer>> start(sd_event* event, Services& services);

    std::size_t open_flows() const { return flows_->size(); }

private:
    BusServer(BusPtr bus, Services& services)
        : bus_(std::move(bus)), services_(services), accounts_(services) {}

    Result<void> export_objects(sd_event* event);

    static int on_start_flow(sd_bus_message* message, void* userdata, sd_bus_error* error);
    static int on_get_status(sd_bus_message* message, void* userdata, sd_bus_error* error);
    static int on_enroll_recovery_codes(sd_bus_message* message, void* userdata, sd_bus_error* error);

    BusPtr bus_;
    Services& services_;
    AccountService accounts_;
    std::unique_ptr<FlowRegistry> flows_;
    BusSlotPtr manager_slot_;
    BusSlotPtr account_slot_;
};

}  // namespace recoveryd
