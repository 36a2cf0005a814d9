#pragma once
// The open recovery conversations, each reachable at its own path
// /io/recoveryd/Recovery1/flow/<128 random bits>. The path is the flow's
// capability: any root caller that knows it may drive the flow, on any
// connection, so a login waiting for a person holds no bus connection
// (DESIGN.md invariant 2). Flows are served through one fallback vtable
// whose lookup answers only root: to anyone else no flow exists, and no
// caller can list them. A flow expires after the policy's idle timeout on
// CLOCK_BOOTTIME (moving the wall clock does not stretch it) and ends on
// Cancel. The policy's [Limits] cap how many are open (FlowQuota).
//
// Work that may block runs on the workers (FlowJob); this class, on the
// loop, alone touches the flows and the bus.

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "common/Result.h"
#include "common/SdBus.h"
#include "daemon/Services.h"
#include "daemon/bus/Announcer.h"
#include "daemon/bus/PendingCall.h"
#include "daemon/flow/FlowContext.h"
#include "daemon/flow/FlowJobContext.h"
#include "daemon/flow/FlowQuota.h"
#include "daemon/flow/FlowReply.h"
#include "daemon/workers/WorkerPool.h"

namespace recoveryd {

class FlowRegistry {
public:
    // A verdict on a secret is sent this long after its answer arrived
    // (later only if the work took longer): far above the differences in
    // work between accounts, far below what a person notices.
    static constexpr std::chrono::milliseconds kVerdictTime{250};

    // `announcer` hears, on the loop, of the requests for help flows file
    // and the passwords they reset.
    FlowRegistry(sd_bus* bus, sd_event* event, Services& services, WorkerPool& workers,
                 WorkerPool& shadow_writer, Announcer& announcer);
    ~FlowRegistry();
    FlowRegistry(const FlowRegistry&) = delete;
    FlowRegistry& operator=(const FlowRegistry&) = delete;

    Result<void> export_flows();

    // Starts a flow and replies to `call` with its path once its start is in
    // the audit log; Unavailable (nothing started) beyond a cap. Where the
    // policy does not offer recovery (daemon/policy/Offering) it replies
    // AccessDenied once that refusal is in the audit log.
    Result<void> start(const PendingCall& call, std::string user, FlowContext context);
    std::size_t size() const { return flows_.size(); }
    // No flow open, no verdict waiting for its time, no flow left to remove.
    bool idle() const { return flows_.empty() && settled(); }
    // No verdict waiting for its time, no flow left to remove: what is open
    // waits for a person (for a daemon told to stop).
    bool settled() const { return paced_.empty() && retired_.empty(); }

private:
    struct Entry;
    struct PacedReply;

    static int find_flow(sd_bus* bus, const char* path, const char* interface, void* userdata, void** found,
                         sd_bus_error* error) noexcept;
    static int on_next(sd_bus_message* message, void* userdata, sd_bus_error* error);
    static int on_cancel(sd_bus_message* message, void* userdata, sd_bus_error* error);
    static int on_idle_timeout(sd_event_source* source, uint64_t usec, void* userdata);
    static int on_cleanup(sd_event_source* source, void* userdata);
    static int on_paced_reply_due(sd_event_source* source, uint64_t usec, void* userdata);

    // The flow at `path` if it is open (started and not retired).
    Entry* open_flow(const std::string& path);
    Result<void> refuse_start(const PendingCall& call, FlowJobContext job, std::string why);
    void on_started(const std::string& path, const PendingCall& call, const Result<void>& recorded);
    Result<void> run_job(Entry& entry, FlowJob job, const PendingCall& call, uint64_t arrived);
    // Sends `reply` to `call` now, or for a verdict at `arrived` + kVerdictTime;
    // retires the flow when the reply ends it.
    void answer(Entry& entry, const PendingCall& call, const FlowReply& reply, uint64_t arrived);
    int send_reply(sd_bus_message* call, const FlowReply& reply, uint64_t arrived);
    void restart_idle_timer(Entry& entry);
    // Removes a flow once the current callback has returned; audits `why`
    // (nullptr when the flow already recorded its own end).
    void retire(Entry& entry, const char* why) noexcept;
    void record_end(Entry& entry, const char* action);

    sd_bus* bus_;
    sd_event* event_;
    Services& services_;
    WorkerPool& workers_;
    WorkerPool& shadow_writer_;
    Announcer& announcer_;
    std::map<std::string, std::unique_ptr<Entry>> flows_;
    FlowQuota quota_;
    std::map<const PacedReply*, std::unique_ptr<PacedReply>> paced_;
    std::vector<std::string> retired_;
    EventSourcePtr cleanup_;
    BusSlotPtr slot_;
};

}  // namespace recoveryd
