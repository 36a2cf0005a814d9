#pragma once
// The open recovery conversations, each exported as its own bus object
// /io/recoveryd/Recovery1/flow/<random id>. A flow answers only the
// connection that started it, expires after the policy's idle timeout on
// CLOCK_BOOTTIME (moving the wall clock does not stretch it), and is dropped
// when its connection leaves the bus: one bus track per connection, shared by
// its flows, since each track costs a match rule and dbus-daemon drops a
// connection that holds more than it allows (512 on the system bus).

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "common/Result.h"
#include "common/SdBus.h"
#include "daemon/Services.h"
#include "daemon/flow/FlowContext.h"
#include "daemon/flow/FlowReply.h"

namespace recoveryd {

class FlowRegistry {
public:
    // Beyond this many open flows StartFlow answers Unavailable.
    static constexpr std::size_t kMaxOpenFlows = 4096;
    // Beyond this many connections with open flows, likewise: it keeps the
    // daemon's match rules well under the bus's limit.
    static constexpr std::size_t kMaxOwners = 256;
    // A verdict on a secret is sent this long after its answer arrived
    // (later only if the work took longer): far above the differences in
    // work between accounts, far below what a person notices.
    static constexpr std::chrono::milliseconds kVerdictTime{250};

    FlowRegistry(sd_bus* bus, sd_event* event, Services& services);
    ~FlowRegistry();
    FlowRegistry(const FlowRegistry&) = delete;
    FlowRegistry& operator=(const FlowRegistry&) = delete;

    // Starts a flow owned by the sender of `start_message`; returns its path.
    Result<std::string> start(sd_bus_message* start_message, std::string user, FlowContext context);
    std::size_t size() const { return flows_.size(); }

private:
    struct Entry;
    struct Owner;
    struct PacedReply;

    static int on_next(sd_bus_message* message, void* userdata, sd_bus_error* error);
    static int on_cancel(sd_bus_message* message, void* userdata, sd_bus_error* error);
    static int on_owner_gone(sd_bus_track* track, void* userdata);
    static int on_idle_timeout(sd_event_source* source, uint64_t usec, void* userdata);
    static int on_cleanup(sd_event_source* source, void* userdata);
    static int on_paced_reply_due(sd_event_source* source, uint64_t usec, void* userdata);

    // The owner record of the sender of `start_message`, tracked on the bus.
    Result<Owner*> owner_of(sd_bus_message* start_message);
    Result<void> export_entry(Entry& entry);
    void restart_idle_timer(Entry& entry);
    // Sends `reply` now, or for a verdict at `arrived` + kVerdictTime.
    int send_reply(sd_bus_message* call, const FlowReply& reply, uint64_t arrived);
    // Removes a flow once the current callback has returned; audits `why`
    // (nullptr when the flow already recorded its own end).
    void retire(Entry& entry, const char* why) noexcept;

    sd_bus* bus_;
    sd_event* event_;
    Services& services_;
    std::map<std::string, std::unique_ptr<Entry>> flows_;
    std::map<std::string, Owner> owners_;  // by unique bus name
    std::map<const PacedReply*, std::unique_ptr<PacedReply>> paced_;
    std::vector<std::string> retired_;
    EventSourcePtr cleanup_;
};

}  // namespace recoveryd
