#pragma once
// RAII owners for sd-bus and sd-event objects.

#include <memory>
#include <systemd/sd-bus.h>
#include <systemd/sd-event.h>

namespace recoveryd {

struct SdBusUnref { void operator()(sd_bus* p) const { sd_bus_flush_close_unref(p); } };
struct SdBusMessageUnref { void operator()(sd_bus_message* p) const { sd_bus_message_unref(p); } };
struct SdBusSlotUnref { void operator()(sd_bus_slot* p) const { sd_bus_slot_unref(p); } };
struct SdBusCredsUnref { void operator()(sd_bus_creds* p) const { sd_bus_creds_unref(p); } };
struct SdBusTrackUnref { void operator()(sd_bus_track* p) const { sd_bus_track_unref(p); } };
struct SdEventUnref { void operator()(sd_event* p) const { sd_event_unref(p); } };
struct SdEventSourceUnref {
    void operator()(sd_event_source* p) const { sd_event_source_disable_unref(p); }
};

using BusPtr = std::unique_ptr<sd_bus, SdBusUnref>;
using BusMessagePtr = std::unique_ptr<sd_bus_message, SdBusMessageUnref>;
using BusSlotPtr = std::unique_ptr<sd_bus_slot, SdBusSlotUnref>;
using BusCredsPtr = std::unique_ptr<sd_bus_creds, SdBusCredsUnref>;
using BusTrackPtr = std::unique_ptr<sd_bus_track, SdBusTrackUnref>;
using EventPtr = std::unique_ptr<sd_event, SdEventUnref>;
using EventSourcePtr = std::unique_ptr<sd_event_source, SdEventSourceUnref>;

// An sd_bus_error freed on scope exit.
class BusError {
public:
    BusError() = default;
    ~BusError() { sd_bus_error_free(&error_); }
    BusError(const BusError&) = delete;
    BusError& operator=(const BusError&) = delete;

    sd_bus_error* get() { return &error_; }
    const char* name() const { return error_.name ? error_.name : ""; }
    const char* message() const { return error_.message ? error_.message : ""; }
    bool is_set() const { return sd_bus_error_is_set(&error_); }

private:
    sd_bus_error error_ = SD_BUS_ERROR_NULL;
};

}  // namespace recoveryd
