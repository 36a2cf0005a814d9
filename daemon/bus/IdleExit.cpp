#include "daemon/bus/IdleExit.h"

#include <cstdio>
#include <cstdlib>

namespace recoveryd {

namespace {

uint64_t now_usec(sd_event* event) {
    uint64_t now = 0;
    (void)sd_event_now(event, CLOCK_MONOTONIC, &now);
    return now;
}

}  // namespace

Result<std::unique_ptr<IdleExit>> IdleExit::start(sd_event* event, sd_bus* bus, const char* name, Period period,
                                                  Idle idle, Settled settled) {
    std::unique_ptr<IdleExit> self(
        new IdleExit(event, bus, name, std::move(period), std::move(idle), std::move(settled)));
    self->quiet_since_ = now_usec(event);
    sd_bus_slot* filter = nullptr;
    if (sd_bus_add_filter(bus, &filter, on_message, self.get()) < 0)
        return make_error(ErrorCode::Internal, "cannot watch the bus for idleness");
    self->filter_.reset(filter);
    sd_event_source* timer = nullptr;
    if (sd_event_add_time(event, &timer, CLOCK_MONOTONIC, 0, 0, on_quiet, self.get()) < 0)
        return make_error(ErrorCode::Internal, "cannot set the idle timer");
    self->timer_.reset(timer);
    // A post source runs after every dispatch: work in progress (a flow's
    // timer, a worker's completion) keeps the daemon from being quiet.
    sd_event_source* post = nullptr;
    if (sd_event_add_post(event, &post, on_dispatched, self.get()) < 0)
        return make_error(ErrorCode::Internal, "cannot watch the event loop for idleness");
    self->post_.reset(post);
    self->arm_timer();
    return self;
}

void IdleExit::note_activity() {
    quiet_since_ = now_usec(event_);
}

// Due when the quiet period ends; off when the policy says never (a message
// turns it on again, in case a reload changed that).
void IdleExit::arm_timer() {
    const auto period = period_();
    if (period.count() <= 0 || leaving_) {
        sd_event_source_set_enabled(timer_.get(), SD_EVENT_OFF);
        return;
    }
    const auto due = quiet_since_ + static_cast<uint64_t>(std::chrono::microseconds(period).count());
    sd_event_source_set_time(timer_.get(), due);
    sd_event_source_set_enabled(timer_.get(), SD_EVENT_ONESHOT);
}

int IdleExit::on_message(sd_bus_message*, void* userdata, sd_bus_error*) {
    auto* self = static_cast<IdleExit*>(userdata);
    self->note_activity();
    int enabled = SD_EVENT_OFF;
    if (!self->leaving_ && sd_event_source_get_enabled(self->timer_.get(), &enabled) >= 0 && enabled == SD_EVENT_OFF)
        self->arm_timer();
    return 0;  // only watching: the message goes on to its handler
}

int IdleExit::on_dispatched(sd_event_source*, void* userdata) {
    auto* self = static_cast<IdleExit*>(userdata);
    if (self->released_)
        self->exit_if_drained();
    else if (!self->idle_())
        self->note_activity();
    return 0;
}

int IdleExit::on_quiet(sd_event_source*, uint64_t, void* userdata) {
    auto* self = static_cast<IdleExit*>(userdata);
    const auto period = std::chrono::microseconds(self->period_()).count();
    const bool idle = self->idle_();
    if (!idle)
        self->note_activity();  // busy without events (a flow waiting for a person): quiet starts now
    if (period > 0 && idle && now_usec(self->event_) >= self->quiet_since_ + static_cast<uint64_t>(period))
        self->leave();
    else
        self->arm_timer();
    return 0;
}

void IdleExit::stop() {
    if (stopping_)
        return;  // a second SIGTERM: already on the way out
    stopping_ = true;
    if (!leaving_)
        leave();
    if (!leaving_)  // the name could not be released: nothing more to wait for
        sd_event_exit(event_, EXIT_SUCCESS);
    else if (released_)
        exit_if_drained();
}

void IdleExit::leave() {
    leaving_ = true;
    sd_bus_slot* slot = nullptr;
    // The bus routes calls in order: every call for the name sent before
    // the release is queued to us ahead of this reply.
    if (sd_bus_release_name_async(bus_, &slot, name_, on_name_released, this) < 0) {
        std::fprintf(stderr, "recoveryd: cannot release the bus name; staying\n");
        leaving_ = false;
        note_activity();
        arm_timer();
        return;
    }
    release_call_.reset(slot);
    std::fprintf(stderr, "recoveryd: %s; releasing the bus name and exiting\n", stopping_ ? "stopping" : "idle");
}

int IdleExit::on_name_released(sd_bus_message*, void* userdata, sd_bus_error*) {
    auto* self = static_cast<IdleExit*>(userdata);
    self->released_ = true;
    self->exit_if_drained();
    return 0;
}

void IdleExit::exit_if_drained() {
    if (stopping_ ? settled_() : idle_())
        sd_event_exit(event_, EXIT_SUCCESS);
}

}  // namespace recoveryd
