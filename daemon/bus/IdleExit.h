#pragma once
// Ends an idle daemon, so an idle machine pays nothing for recoveryd: the bus
// starts it again on the next call (D-Bus activation). Idle means no bus
// message for the policy's [Daemon] IdleExitSec with nothing in progress (the
// caller's `idle` says what is). Then it releases the bus name first, answers
// what was already queued for it, waits for the work that started, and ends
// the event loop with 0. A call sent after the release starts a new instance.
// SIGTERM leaves the same way (stop()), without the quiet period, and waits
// only for work that ends by itself. See docs/decisions/daemon.md, "Idle exit".

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>

#include "common/Result.h"
#include "common/SdBus.h"

namespace recoveryd {

class IdleExit {
public:
    // How long the daemon must be quiet; 0: never exit. Read at each check,
    // so a reloaded policy applies.
    using Period = std::function<std::chrono::seconds()>;
    // True when nothing is in progress (flows, jobs, hooks).
    using Idle = std::function<bool()>;
    // True when nothing is in progress that ends by itself (a job, its
    // completion, a paced reply): flows waiting for a person do not count.
    using Settled = std::function<bool()>;

    static Result<std::unique_ptr<IdleExit>> start(sd_event* event, sd_bus* bus, const char* name, Period period,
                                                   Idle idle, Settled settled);
    IdleExit(const IdleExit&) = delete;
    IdleExit& operator=(const IdleExit&) = delete;

    // The name is being given up: start nothing that a later call would
    // need this instance for (a new flow would be unreachable).
    bool leaving() const { return leaving_; }

    // Told to stop (SIGTERM): release the name now, answer what is queued,
    // let the work in progress reach its caller (a rotation's verdict), then
    // end the loop with 0.
    void stop();

private:
    IdleExit(sd_event* event, sd_bus* bus, const char* name, Period period, Idle idle, Settled settled)
        : event_(event),
          bus_(bus),
          name_(name),
          period_(std::move(period)),
          idle_(std::move(idle)),
          settled_(std::move(settled)) {}

    static int on_message(sd_bus_message* message, void* userdata, sd_bus_error* error);
    static int on_dispatched(sd_event_source* source, void* userdata);
    static int on_quiet(sd_event_source* source, uint64_t usec, void* userdata);
    static int on_name_released(sd_bus_message* reply, void* userdata, sd_bus_error* error);

    void note_activity();
    void arm_timer();
    void leave();
    void exit_if_drained();

    sd_event* event_;
    sd_bus* bus_;
    const char* name_;
    Period period_;
    Idle idle_;
    Settled settled_;
    uint64_t quiet_since_ = 0;  // CLOCK_MONOTONIC µs
    bool leaving_ = false;      // ReleaseName sent
    bool released_ = false;     // its reply arrived: everything queued before it has been dispatched
    bool stopping_ = false;     // stop() was called: exit once settled, not once idle
    BusSlotPtr filter_;
    BusSlotPtr release_call_;
    EventSourcePtr timer_;
    EventSourcePtr post_;
};

}  // namespace recoveryd
