#include "daemon/bus/FlowRegistry.h"

#include <set>
#include <sodium.h>
#include <time.h>
#include <utility>

#include "common/BusNames.h"
#include "daemon/bus/Authorization.h"
#include "daemon/bus/BusErrors.h"
#include "daemon/bus/HandlerGuard.h"
#include "daemon/bus/MessageReader.h"
#include "daemon/flow/Flow.h"
#include "daemon/policy/Policy.h"

namespace recoveryd {

struct FlowRegistry::Owner {
    FlowRegistry* registry;
    BusTrackPtr track;
    std::set<std::string> paths;  // its flows
};

struct FlowRegistry::PacedReply {
    FlowRegistry* registry;
    BusMessagePtr message;
    EventSourcePtr timer;
};

struct FlowRegistry::Entry {
    FlowRegistry* registry;
    std::string path;
    std::string owner;
    Flow flow;
    BusSlotPtr slot;
    EventSourcePtr idle_timer;
    bool retired = false;
};

namespace {

// Unguessable, so a flow's path says nothing about other flows.
std::string new_flow_path() {
    unsigned char id[16];
    randombytes_buf(id, sizeof id);
    char hex[2 * sizeof id + 1];
    sodium_bin2hex(hex, sizeof hex, id, sizeof id);
    return std::string(bus::kFlowPathPrefix) + "/" + hex;
}

uint64_t to_usec(std::chrono::seconds s) {
    return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::microseconds>(s).count());
}

// The method return for `call` carrying `reply`; a negative errno on failure.
int build_flow_reply(sd_bus_message* call, const FlowReply& reply, BusMessagePtr& message) {
    sd_bus_message* raw = nullptr;
    int r = sd_bus_message_new_method_return(call, &raw);
    if (r < 0)
        return r;
    message.reset(raw);
    if ((r = sd_bus_message_append(raw, "u", static_cast<uint32_t>(reply.state))) < 0 ||
        (r = sd_bus_message_open_container(raw, 'a', "(us)")) < 0)
        return r;
    for (const FlowMessage& m : reply.messages)
        if ((r = sd_bus_message_append(raw, "(us)", static_cast<uint32_t>(m.style), m.text.c_str())) < 0)
            return r;
    return sd_bus_message_close_container(raw);
}

}  // namespace

FlowRegistry::FlowRegistry(sd_bus* bus, sd_event* event, Services& services)
    : bus_(bus), event_(event), services_(services) {}

FlowRegistry::~FlowRegistry() = default;

Result<std::string> FlowRegistry::start(sd_bus_message* start_message, std::string user, FlowContext context) {
    if (flows_.size() >= kMaxOpenFlows)
        return make_error(ErrorCode::Unavailable, "too many recovery conversations are open; try again later");
    auto owner = owner_of(start_message);
    if (!owner)
        return owner.error();
    auto entry = std::make_unique<Entry>(Entry{this, new_flow_path(), sd_bus_message_get_sender(start_message),
                                               Flow(services_, std::move(user), std::move(context)), {}, {}});
    Result<void> ready = export_entry(*entry);
    if (ready && !entry->flow.record_start())
        ready = make_error(ErrorCode::Unavailable, "the audit log cannot be written; try again later");
    if (!ready) {
        if ((*owner)->paths.empty())
            owners_.erase(entry->owner);
        return ready.error();
    }
    std::string path = entry->path;
    (*owner)->paths.insert(path);
    flows_.emplace(path, std::move(entry));
    return path;
}

Result<FlowRegistry::Owner*> FlowRegistry::owner_of(sd_bus_message* start_message) {
    const char* sender = sd_bus_message_get_sender(start_message);
    if (sender == nullptr)
        return make_error(ErrorCode::AccessDenied, "the caller's identity could not be established");
    if (auto known = owners_.find(sender); known != owners_.end())
        return &known->second;
    if (owners_.size() >= kMaxOwners)
        return make_error(ErrorCode::Unavailable, "too many recovery conversations are open; try again later");

    Owner& owner = owners_.try_emplace(sender, Owner{this, {}, {}}).first->second;
    sd_bus_track* track = nullptr;
    if (sd_bus_track_new(bus_, &track, on_owner_gone, &owner) >= 0) {
        owner.track.reset(track);
        if (sd_bus_track_add_sender(track, start_message) >= 0)
            return &owner;
    }
    owners_.erase(sender);
    return make_error(ErrorCode::Internal, "could not set up the recovery conversation");
}

Result<void> FlowRegistry::export_entry(Entry& entry) {
    static const sd_bus_vtable vtable[] = {
        SD_BUS_VTABLE_START(0),
        SD_BUS_METHOD_WITH_ARGS("Next", SD_BUS_ARGS("as", answers), SD_BUS_RESULT("u", state, "a(us)", messages),
                                on_next, SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("Cancel", SD_BUS_NO_ARGS, SD_BUS_NO_RESULT, on_cancel, SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_VTABLE_END,
    };
    const auto failed = make_error(ErrorCode::Internal, "could not set up the recovery conversation");
    sd_bus_slot* slot = nullptr;
    if (sd_bus_add_object_vtable(bus_, &slot, entry.path.c_str(), bus::kFlowInterface, vtable, &entry) < 0)
        return failed;
    entry.slot.reset(slot);

    sd_event_source* timer = nullptr;
    if (sd_event_add_time_relative(event_, &timer, CLOCK_BOOTTIME, to_usec(services_.policy.flow_timeout), 0,
                                   on_idle_timeout, &entry) < 0)
        return failed;
    entry.idle_timer.reset(timer);
    return {};
}

void FlowRegistry::restart_idle_timer(Entry& entry) {
    sd_event_source_set_time_relative(entry.idle_timer.get(), to_usec(services_.policy.flow_timeout));
    sd_event_source_set_enabled(entry.idle_timer.get(), SD_EVENT_ONESHOT);
}

void FlowRegistry::retire(Entry& entry, const char* why) noexcept {
    if (entry.retired)
        return;
    entry.retired = true;
    try {
        if (why != nullptr)
            entry.flow.record_end(why);
        retired_.push_back(entry.path);
    } catch (...) {
        // Out of memory: the flow stays retired (it answers nothing) and is
        // removed with the next successful cleanup.
    }
    if (!cleanup_) {
        sd_event_source* source = nullptr;
        if (sd_event_add_defer(event_, &source, on_cleanup, this) >= 0)
            cleanup_.reset(source);
    } else {
        sd_event_source_set_enabled(cleanup_.get(), SD_EVENT_ONESHOT);
    }
}

int FlowRegistry::on_cleanup(sd_event_source*, void* userdata) {
    auto* self = static_cast<FlowRegistry*>(userdata);
    for (const std::string& path : self->retired_) {
        const auto found = self->flows_.find(path);
        if (found == self->flows_.end())
            continue;
        const auto owner = self->owners_.find(found->second->owner);
        self->flows_.erase(found);
        if (owner == self->owners_.end())
            continue;
        owner->second.paths.erase(path);
        if (owner->second.paths.empty())
            self->owners_.erase(owner);  // its track goes with it
    }
    self->retired_.clear();
    sd_event_source_set_enabled(self->cleanup_.get(), SD_EVENT_OFF);
    return 0;
}

int FlowRegistry::send_reply(sd_bus_message* call, const FlowReply& reply, uint64_t arrived) {
    BusMessagePtr message;
    if (const int r = build_flow_reply(call, reply, message); r < 0)
        return r;
    if (!reply.verdict)
        return sd_bus_send(nullptr, message.get(), nullptr);

    auto paced = std::make_unique<PacedReply>(PacedReply{this, std::move(message), {}});
    const uint64_t due = arrived + static_cast<uint64_t>(std::chrono::microseconds(kVerdictTime).count());
    sd_event_source* timer = nullptr;
    // Accuracy 1 µs: sd-event would otherwise coalesce it by up to 250 ms.
    if (const int r = sd_event_add_time(event_, &timer, CLOCK_MONOTONIC, due, 1, on_paced_reply_due, paced.get());
        r < 0)
        return r;
    paced->timer.reset(timer);
    paced_.emplace(paced.get(), std::move(paced));
    return 1;  // replied later, by on_paced_reply_due
}

int FlowRegistry::on_paced_reply_due(sd_event_source*, uint64_t, void* userdata) {
    const auto* paced = static_cast<const PacedReply*>(userdata);
    (void)sd_bus_send(nullptr, paced->message.get(), nullptr);  // the caller may have left
    paced->registry->paced_.erase(paced);  // sd-event defers freeing the running timer
    return 0;
}

int FlowRegistry::on_next(sd_bus_message* message, void* userdata, sd_bus_error* error) {
    auto& entry = *static_cast<Entry*>(userdata);
    uint64_t arrived = 0;
    (void)sd_event_now(entry.registry->event_, CLOCK_MONOTONIC, &arrived);
    return guard_handler(error, [&]() -> int {
        if (auto caller = authorize_flow(message, entry.owner); !caller)
            return reply_with_error(error, caller.error());
        if (entry.retired)
            return reply_with_error(error, make_error(ErrorCode::NotFound, "this recovery conversation has ended"));
        auto answers = read_answers(message);
        if (!answers)
            return reply_with_error(error, answers.error());
        auto reply = entry.flow.next(std::move(answers.value()));
        if (!reply)
            return reply_with_error(error, reply.error());
        entry.registry->restart_idle_timer(entry);
        if (entry.flow.finished())
            entry.registry->retire(entry, nullptr);
        return entry.registry->send_reply(message, *reply, arrived);
    });
}

int FlowRegistry::on_cancel(sd_bus_message* message, void* userdata, sd_bus_error* error) {
    auto& entry = *static_cast<Entry*>(userdata);
    return guard_handler(error, [&]() -> int {
        if (auto caller = authorize_flow(message, entry.owner); !caller)
            return reply_with_error(error, caller.error());
        if (entry.retired)
            return reply_with_error(error, make_error(ErrorCode::NotFound, "this recovery conversation has ended"));
        entry.registry->retire(entry, "flow.cancel");
        return sd_bus_reply_method_return(message, nullptr);
    });
}

int FlowRegistry::on_owner_gone(sd_bus_track*, void* userdata) {
    auto& owner = *static_cast<Owner*>(userdata);
    FlowRegistry& registry = *owner.registry;
    for (const std::string& path : owner.paths) {
        if (const auto found = registry.flows_.find(path); found != registry.flows_.end())
            registry.retire(*found->second, found->second->flow.finished() ? nullptr : "flow.abandon");
    }
    return 0;
}

int FlowRegistry::on_idle_timeout(sd_event_source*, uint64_t, void* userdata) {
    auto& entry = *static_cast<Entry*>(userdata);
    entry.registry->retire(entry, "flow.expire");
    return 0;
}

}  // namespace recoveryd
