#include "daemon/bus/FlowRegistry.h"

#include <sodium.h>
#include <time.h>
#include <utility>
#include <variant>

#include "common/BusNames.h"
#include "daemon/bus/Authorization.h"
#include "daemon/bus/BusErrors.h"
#include "daemon/bus/HandlerGuard.h"
#include "daemon/bus/MessageReader.h"
#include "daemon/flow/Flow.h"
#include "daemon/policy/CurrentPolicy.h"
#include "daemon/policy/Offering.h"

namespace recoveryd {

struct FlowRegistry::PacedReply {
    FlowRegistry* registry;
    BusMessagePtr message;
    EventSourcePtr timer;
};

struct FlowRegistry::Entry {
    FlowRegistry* registry;
    std::string path;
    Flow flow;
    EventSourcePtr idle_timer;
    bool started = false;  // flow.start is in the audit log and the caller has the path
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

Error conversation_ended() {
    return make_error(ErrorCode::NotFound, "this recovery conversation has ended");
}

}  // namespace

FlowRegistry::FlowRegistry(sd_bus* bus, sd_event* event, Services& services, WorkerPool& workers,
                           WorkerPool& shadow_writer, Announcer& announcer)
    : bus_(bus), event_(event), services_(services), workers_(workers), shadow_writer_(shadow_writer),
      announcer_(announcer) {}

FlowRegistry::~FlowRegistry() = default;

Result<void> FlowRegistry::export_flows() {
    static const sd_bus_vtable vtable[] = {
        SD_BUS_VTABLE_START(0),
        SD_BUS_METHOD_WITH_ARGS("Next", SD_BUS_ARGS("as", answers), SD_BUS_RESULT("u", state, "a(us)", messages),
                                on_next, SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("Cancel", SD_BUS_NO_ARGS, SD_BUS_NO_RESULT, on_cancel, SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_VTABLE_END,
    };
    sd_bus_slot* slot = nullptr;
    if (sd_bus_add_fallback_vtable(bus_, &slot, bus::kFlowPathPrefix, bus::kFlowInterface, vtable, find_flow,
                                   this) < 0)
        return make_error(ErrorCode::Internal, "cannot export the Flow interface");
    slot_.reset(slot);
    return {};
}

// Called by sd-bus for every message (and introspection) under the flow
// prefix: only root callers find a flow; for anyone else none exists.
int FlowRegistry::find_flow(sd_bus* bus, const char* path, const char*, void* userdata, void** found,
                            sd_bus_error*) noexcept {
    try {
        sd_bus_message* message = sd_bus_get_current_message(bus);
        if (message == nullptr || !authorize_flow(message))
            return 0;
        Entry* entry = static_cast<FlowRegistry*>(userdata)->open_flow(path);
        if (entry == nullptr)
            return 0;
        *found = entry;
        return 1;
    } catch (...) {
        return 0;
    }
}

FlowRegistry::Entry* FlowRegistry::open_flow(const std::string& path) {
    const auto it = flows_.find(path);
    return it == flows_.end() || !it->second->started || it->second->retired ? nullptr : it->second.get();
}

Result<void> FlowRegistry::start(const PendingCall& call, std::string user, FlowContext context) {
    auto policy = services_.policy.get();
    // The module asked MayOffer before its offer; a caller that did not
    // gets the same answer here, with the policy this flow would keep.
    if (auto refusal = offer_refusal(*policy, context))
        return refuse_start(call, FlowJobContext{services_, std::move(policy), std::move(user), std::move(context)},
                            std::move(*refusal));
    if (auto admitted = quota_.admit(policy->limits, context); !admitted)
        return admitted;
    const auto timeout = to_usec(policy->flow_timeout);
    auto entry = std::make_unique<Entry>(
        Entry{this, new_flow_path(), Flow(services_, std::move(policy), std::move(user), std::move(context)), {}});
    sd_event_source* timer = nullptr;
    if (sd_event_add_time_relative(event_, &timer, CLOCK_BOOTTIME, timeout, 0,
                                   on_idle_timeout, entry.get()) < 0) {
        quota_.release(entry->flow.context());
        return make_error(ErrorCode::Internal, "could not set up the recovery conversation");
    }
    entry->idle_timer.reset(timer);
    const std::string path = entry->path;
    auto job = entry->flow.job_context();
    flows_.emplace(path, std::move(entry));
    // Fails closed: a flow whose start cannot be recorded does not start.
    auto submitted = workers_.run<std::monostate>(
        [job]() -> Result<std::monostate> {
            if (auto recorded = job.record("flow.start", "ok"); !recorded)
                return recorded.error();
            return std::monostate{};
        },
        [this, path, call](Result<std::monostate> recorded) {
            on_started(path, call, recorded ? Result<void>() : Result<void>(recorded.error()));
        });
    if (!submitted) {
        retire(*flows_.at(path), nullptr);
        return submitted;
    }
    return {};
}

// Denied starts are decisions too (invariant 10): the reply waits for the
// row, written on a worker, or right here when the workers' queue is full.
Result<void> FlowRegistry::refuse_start(const PendingCall& call, FlowJobContext job, std::string why) {
    auto submitted = workers_.run<std::monostate>(
        [job, why]() -> Result<std::monostate> {
            (void)job.record("flow.start", "denied", why);
            return std::monostate{};
        },
        [call, why](Result<std::monostate>) { call.fail(make_error(ErrorCode::AccessDenied, why)); });
    if (!submitted) {
        (void)job.record("flow.start", "denied", why);
        return make_error(ErrorCode::AccessDenied, why);
    }
    return {};
}

void FlowRegistry::on_started(const std::string& path, const PendingCall& call, const Result<void>& recorded) {
    const auto it = flows_.find(path);
    if (it == flows_.end() || it->second->retired)
        return call.fail(make_error(ErrorCode::Unavailable, "recoveryd is shutting down; try again later"));
    Entry& entry = *it->second;
    if (!recorded) {
        retire(entry, nullptr);
        return call.fail(make_error(ErrorCode::Unavailable, "the audit log cannot be written; try again later"));
    }
    entry.started = true;
    restart_idle_timer(entry);
    if (sd_bus_reply_method_return(call.get(), "o", path.c_str()) < 0)
        retire(entry, "flow.abandon");  // the caller left before it got the path
}

Result<void> FlowRegistry::run_job(Entry& entry, FlowJob job, const PendingCall& call, uint64_t arrived) {
    WorkerPool& lane = job.lane == FlowJob::Lane::ShadowWriter ? shadow_writer_ : workers_;
    return lane.run<FlowOutcome>(
        [work = std::move(job.work)]() -> Result<FlowOutcome> { return work(); },
        [this, path = entry.path, call, arrived](Result<FlowOutcome> outcome) {
            // Announced even when the flow has ended meanwhile (cancelled,
            // expired): the password is reset all the same.
            if (outcome && outcome->reset)
                announcer_.password_reset(*outcome->reset);
            Entry* done = open_flow(path);
            if (done == nullptr)
                return call.fail(conversation_ended());
            if (!outcome) {
                retire(*done, "flow.error");
                return call.fail(outcome.error());
            }
            if (outcome->filed)
                announcer_.request_filed(*outcome->filed, done->flow.job_context());
            answer(*done, call, done->flow.complete(std::move(outcome.value())), arrived);
        });
}

void FlowRegistry::answer(Entry& entry, const PendingCall& call, const FlowReply& reply, uint64_t arrived) {
    restart_idle_timer(entry);
    if (entry.flow.finished())
        retire(entry, nullptr);
    if (send_reply(call.get(), reply, arrived) < 0)
        call.fail(make_error(ErrorCode::Internal, "could not send the reply"));
}

void FlowRegistry::restart_idle_timer(Entry& entry) {
    sd_event_source_set_time_relative(entry.idle_timer.get(), to_usec(entry.flow.policy().flow_timeout));
    sd_event_source_set_enabled(entry.idle_timer.get(), SD_EVENT_ONESHOT);
}

void FlowRegistry::retire(Entry& entry, const char* why) noexcept {
    if (entry.retired)
        return;
    entry.retired = true;
    sd_event_source_set_enabled(entry.idle_timer.get(), SD_EVENT_OFF);
    try {
        if (why != nullptr)
            record_end(entry, why);
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

// An end is a decision too: its row is written on a worker, or right here
// when the workers' queue is full (rare, and bounded by the caps).
void FlowRegistry::record_end(Entry& entry, const char* action) {
    auto job = entry.flow.job_context();
    const std::string what = action;
    auto submitted = workers_.run<std::monostate>(
        [job, what]() -> Result<std::monostate> {
            (void)job.record(what.c_str(), "ended");
            return std::monostate{};
        },
        [](Result<std::monostate>) {});
    if (!submitted)
        (void)job.record(action, "ended");
}

int FlowRegistry::on_cleanup(sd_event_source*, void* userdata) {
    auto* self = static_cast<FlowRegistry*>(userdata);
    for (const std::string& path : self->retired_) {
        const auto found = self->flows_.find(path);
        if (found == self->flows_.end())
            continue;
        self->quota_.release(found->second->flow.context());
        self->flows_.erase(found);
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
        if (auto caller = authorize_flow(message); !caller)
            return reply_with_error(error, caller.error());
        if (entry.retired)
            return reply_with_error(error, conversation_ended());
        auto answers = read_answers(message);
        if (!answers)
            return reply_with_error(error, answers.error());
        auto action = entry.flow.next(std::move(answers.value()));
        if (!action)
            return reply_with_error(error, action.error());
        FlowRegistry& registry = *entry.registry;
        const PendingCall call(message);
        if (auto* reply = std::get_if<FlowReply>(&action.value())) {
            registry.answer(entry, call, *reply, arrived);
            return 1;
        }
        registry.restart_idle_timer(entry);
        if (auto submitted = registry.run_job(entry, std::get<FlowJob>(std::move(action.value())), call, arrived);
            !submitted) {
            registry.retire(entry, "flow.error");
            return reply_with_error(error, submitted.error());
        }
        return 1;
    });
}

int FlowRegistry::on_cancel(sd_bus_message* message, void* userdata, sd_bus_error* error) {
    auto& entry = *static_cast<Entry*>(userdata);
    return guard_handler(error, [&]() -> int {
        if (auto caller = authorize_flow(message); !caller)
            return reply_with_error(error, caller.error());
        if (entry.retired)
            return reply_with_error(error, conversation_ended());
        entry.registry->retire(entry, "flow.cancel");
        return sd_bus_reply_method_return(message, nullptr);
    });
}

int FlowRegistry::on_idle_timeout(sd_event_source*, uint64_t, void* userdata) {
    auto& entry = *static_cast<Entry*>(userdata);
    entry.registry->retire(entry, "flow.expire");
    return 0;
}

}  // namespace recoveryd
