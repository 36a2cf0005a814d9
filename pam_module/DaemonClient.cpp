#include "pam_module/DaemonClient.h"

#include <cerrno>
#include <cstring>
#include <memory>
#include <string_view>
#include <systemd/sd-bus.h>

#include "common/BusNames.h"
#include "common/SdBus.h"
#include "common/Validation.h"
#include "pam_module/Deadline.h"

namespace recoveryd::pam {
namespace {

constexpr const char* kBusDriver = "org.freedesktop.DBus";

// Closes without flushing: sd_bus_flush() waits for the handshake with no
// limit of ours. Every message that matters has had its reply by then.
struct BusCloseUnref {
    void operator()(sd_bus* bus) const { sd_bus_close_unref(bus); }
};
using Connection = std::unique_ptr<sd_bus, BusCloseUnref>;

Error unavailable(std::string what) { return make_error(ErrorCode::Unavailable, std::move(what)); }

Error bad_reply(const char* why) { return unavailable(std::string("recoveryd sent a malformed reply: ") + why); }

Error failed(const char* method, const char* why) { return unavailable(std::string(method) + " failed: " + why); }

Error failed(const char* method, int r) { return failed(method, std::strerror(-r)); }

// The connection is set up by hand so that nothing in it waits on limits
// of sd-bus's own (sd_bus_open_system authenticates for up to 90 s); the
// handshake then runs inside the caller's loop, under its deadline.
Result<Connection> connect(const std::string& address, const char* method) {
    sd_bus* raw = nullptr;
    int r = sd_bus_new(&raw);
    Connection bus(raw);
    if (r >= 0)
        r = sd_bus_set_address(bus.get(), address.c_str());
    if (r >= 0)
        r = sd_bus_set_bus_client(bus.get(), 1);
    if (r >= 0)
        r = sd_bus_negotiate_fds(bus.get(), 0);  // nothing we expect carries a file descriptor
    if (r >= 0)
        r = sd_bus_start(bus.get());
    if (r < 0)
        return failed(method, r);
    return bus;
}

// Receives the reply to one asynchronous call.
int keep_reply(sd_bus_message* reply, void* userdata, sd_bus_error*) noexcept {
    static_cast<BusMessagePtr*>(userdata)->reset(sd_bus_message_ref(reply));
    return 0;
}

// Sends `call` and runs the connection until its reply arrives or the
// deadline passes. An error reply is returned as a reply.
Result<BusMessagePtr> await_any_reply(sd_bus* bus, sd_bus_message* call, const Deadline& deadline,
                                      const char* method) {
    std::uint64_t left = deadline.remaining_usec();
    if (left == 0)
        return failed(method, "timed out");
    BusMessagePtr reply;
    sd_bus_slot* raw_slot = nullptr;
    int r = sd_bus_call_async(bus, &raw_slot, call, keep_reply, &reply, left);
    const BusSlotPtr slot(raw_slot);  // unhooks the callback before `reply` goes away
    if (r < 0)
        return failed(method, r);
    while (!reply) {
        left = deadline.remaining_usec();
        if (left == 0)
            return failed(method, "timed out");
        r = sd_bus_process(bus, nullptr);
        if (r < 0)
            return failed(method, r);
        if (r > 0)
            continue;
        r = sd_bus_wait(bus, left);
        if (r < 0 && r != -EINTR)
            return failed(method, r);
    }
    return reply;
}

Result<BusMessagePtr> error_reply_as_error(Result<BusMessagePtr> reply, const char* method) {
    if (reply && sd_bus_message_is_method_error(reply->get(), nullptr)) {
        const sd_bus_error* error = sd_bus_message_get_error(reply->get());
        return failed(method, error != nullptr && error->name != nullptr ? error->name : "error reply");
    }
    return reply;
}

// Asks the bus daemon `member`(name); its reply, an error reply included.
Result<BusMessagePtr> ask_bus_driver(sd_bus* bus, const char* member, const char* name, const Deadline& deadline,
                                     const char* method) {
    sd_bus_message* raw = nullptr;
    int r = sd_bus_message_new_method_call(bus, &raw, kBusDriver, "/org/freedesktop/DBus", kBusDriver, member);
    const BusMessagePtr query(raw);
    if (r >= 0)
        r = sd_bus_message_append(query.get(), "s", name);
    if (r < 0)
        return failed(method, r);
    return await_any_reply(bus, query.get(), deadline, method);
}

// Whether the connection `name` (a unique name) runs as root, as the bus
// daemon says.
Result<void> check_runs_as_root(sd_bus* bus, const char* name, const Deadline& deadline, const char* method) {
    auto answer = error_reply_as_error(ask_bus_driver(bus, "GetConnectionUnixUser", name, deadline, method), method);
    if (!answer)
        return answer.error();
    const char* answered_by = sd_bus_message_get_sender(answer->get());
    std::uint32_t uid = 0;
    if (answered_by == nullptr || std::strcmp(answered_by, kBusDriver) != 0 ||
        sd_bus_message_read(answer->get(), "u", &uid) <= 0)
        return failed(method, "the bus did not say who runs recoveryd");
    if (uid != 0)
        return failed(method, "recoveryd's bus name is held by a process not running as root");
    return {};
}

// The unique name that owns recoveryd's name now, checked to run as root
// before anything is sent to it; empty when nobody owns it (the call will
// start recoveryd: its reply is checked instead). A unique name is never
// reused, so a reply from it needs no second check, even if its sender has
// exited since (a daemon told to stop leaves once its last reply is out).
Result<std::string> root_owner(sd_bus* bus, const Deadline& deadline, const char* method) {
    auto answer = ask_bus_driver(bus, "GetNameOwner", bus::kServiceName, deadline, method);
    if (!answer)
        return answer.error();
    if (sd_bus_message_is_method_error(answer->get(), "org.freedesktop.DBus.Error.NameHasNoOwner"))
        return std::string();
    answer = error_reply_as_error(std::move(*answer), method);
    const char* owner = nullptr;
    if (!answer || sd_bus_message_read(answer->get(), "s", &owner) <= 0 || owner == nullptr)
        return failed(method, "the bus did not say who owns recoveryd's name");
    if (auto root = check_runs_as_root(bus, owner, deadline, method); !root)
        return root.error();
    return std::string(owner);
}

// Builds a call to recoveryd, marked sensitive if it carries secrets.
template <typename Build>
Result<BusMessagePtr> new_call(sd_bus* bus, const char* path, const char* interface, const char* method,
                               bool sensitive, Build& build) {
    sd_bus_message* raw = nullptr;
    int r = sd_bus_message_new_method_call(bus, &raw, bus::kServiceName, path, interface, method);
    BusMessagePtr message(raw);
    // Marked before anything is appended: sd-bus then wipes the message
    // when it is freed, on every path.
    if (r >= 0 && sensitive)
        r = sd_bus_message_sensitive(message.get());
    if (r >= 0)
        r = build(message.get());
    if (r < 0)
        return make_error(ErrorCode::Internal, std::string("cannot build ") + method);
    return message;
}

// One call on a connection of its own: connect, check who owns the name,
// build, send, await the reply, parse it; all by one deadline. The
// connection is closed when this returns.
//
// An instance that is giving up the name for idleness answers Error.Stopping
// to what it cannot serve (a new flow). It sent that answer after its
// ReleaseName, and the bus handles each connection's messages in order, so
// by now the name has no owner: the same call once more reaches the next
// instance, which the bus starts.
template <typename T, typename Build, typename Parse>
Result<T> call(const std::string& address, std::uint64_t timeout_usec, const char* path, const char* interface,
               const char* method, bool sensitive, Build&& build, Parse&& parse) {
    const Deadline deadline = Deadline::after_usec(timeout_usec);
    auto bus = connect(address, method);
    if (!bus)
        return bus.error();
    auto owner = root_owner(bus->get(), deadline, method);
    if (!owner)
        return owner.error();
    auto message = new_call(bus->get(), path, interface, method, sensitive, build);
    if (!message)
        return message.error();
    auto reply = await_any_reply(bus->get(), message->get(), deadline, method);
    if (reply && sd_bus_message_is_method_error(reply->get(), bus::kErrorStopping)) {
        message = new_call(bus->get(), path, interface, method, sensitive, build);
        if (!message)
            return message.error();
        reply = await_any_reply(bus->get(), message->get(), deadline, method);
    }
    reply = error_reply_as_error(std::move(reply), method);
    if (!reply)
        return reply.error();
    const char* sender = sd_bus_message_get_sender(reply->get());
    if (sender == nullptr)
        return bad_reply("no sender");
    if (*owner != sender)  // a new instance: started by this call, or after a Stopping
        if (auto root = check_runs_as_root(bus->get(), sender, deadline, method); !root)
            return root.error();
    return parse(reply->get());
}

int append_context(sd_bus_message* call, const FlowContext& context) {
    int r = sd_bus_message_open_container(call, 'a', "{sv}");
    for (const auto& [key, value] : context.text)
        if (r >= 0)
            r = sd_bus_message_append(call, "{sv}", key.c_str(), "s", value.c_str());
    if (r >= 0)
        r = sd_bus_message_append(call, "{sv}", "uid", "u", context.uid);
    if (r >= 0)
        r = sd_bus_message_append(call, "{sv}", "loginuid", "u", context.loginuid);
    if (r >= 0)
        r = sd_bus_message_close_container(call);
    return r;
}

Result<std::string> read_flow_path(sd_bus_message* reply) {
    const char* path = nullptr;
    // A read returns 0, leaving `path` unset, at the end of the message.
    if (sd_bus_message_read(reply, "o", &path) <= 0 || path == nullptr)
        return bad_reply("no flow object");
    const std::string prefix = std::string(bus::kFlowPathPrefix) + "/";
    if (std::strncmp(path, prefix.c_str(), prefix.size()) != 0 || std::strlen(path) == prefix.size())
        return bad_reply("not a flow object");
    return std::string(path);
}

Result<bool> read_offered(sd_bus_message* reply) {
    int offered = 0;
    if (sd_bus_message_read(reply, "b", &offered) <= 0)
        return bad_reply("no answer to MayOffer");
    return offered != 0;
}

Result<FlowMessage> read_message(sd_bus_message* reply) {
    std::uint32_t style = 0;
    const char* text = nullptr;
    if (sd_bus_message_read(reply, "(us)", &style, &text) <= 0 || text == nullptr)
        return bad_reply("unreadable message");
    if (!is_known_style(style))
        return bad_reply("unknown message style");
    const std::string_view view(text);
    if (!validate_lines("message", view, kMaxMessageBytes))
        return bad_reply("message too long, not UTF-8 or with control characters");
    return FlowMessage{static_cast<MessageStyle>(style), std::string(view)};
}

Result<FlowStep> read_step(sd_bus_message* reply) {
    std::uint32_t state = 0;
    if (sd_bus_message_read(reply, "u", &state) <= 0 || !is_known_state(state))
        return bad_reply("unknown state");
    FlowStep step{static_cast<FlowState>(state), {}};
    if (sd_bus_message_enter_container(reply, 'a', "(us)") <= 0)
        return bad_reply("no message list");
    while (sd_bus_message_at_end(reply, false) == 0) {
        if (step.messages.size() == kMaxMessages)
            return bad_reply("too many messages");
        auto message = read_message(reply);
        if (!message)
            return message.error();
        step.messages.push_back(std::move(*message));
    }
    if (sd_bus_message_exit_container(reply) <= 0)
        return bad_reply("unterminated message list");
    return step;
}

Result<std::vector<std::string>> read_notices(sd_bus_message* reply) {
    std::vector<std::string> notices;
    if (sd_bus_message_enter_container(reply, 'a', "s") <= 0)
        return bad_reply("no notice list");
    const char* text = nullptr;
    int r = 0;
    while ((r = sd_bus_message_read_basic(reply, 's', &text)) > 0) {
        const std::string_view view(text);
        if (notices.size() == kMaxMessages || !validate_lines("notice", view, kMaxMessageBytes))
            return bad_reply("too many notices, or one too long, not UTF-8 or with control characters");
        notices.emplace_back(view);
    }
    if (r < 0 || sd_bus_message_exit_container(reply) <= 0)
        return bad_reply("unreadable notice list");
    return notices;
}

}  // namespace

DaemonClient::DaemonClient(std::string bus_address, std::uint64_t call_timeout_usec,
                           std::uint64_t next_timeout_usec)
    : bus_address_(std::move(bus_address)),
      call_timeout_usec_(call_timeout_usec),
      next_timeout_usec_(next_timeout_usec) {}

Result<bool> DaemonClient::may_offer(const FlowContext& context) const {
    return call<bool>(
        bus_address_, call_timeout_usec_, bus::kObjectPath, bus::kManagerInterface, "MayOffer", false,
        [&](sd_bus_message* m) { return append_context(m, context); }, read_offered);
}

Result<std::string> DaemonClient::start_flow(const std::string& user, const FlowContext& context) const {
    return call<std::string>(
        bus_address_, call_timeout_usec_, bus::kObjectPath, bus::kManagerInterface, "StartFlow", false,
        [&](sd_bus_message* m) {
            const int r = sd_bus_message_append(m, "s", user.c_str());
            return r < 0 ? r : append_context(m, context);
        },
        read_flow_path);
}

Result<FlowStep> DaemonClient::next(const std::string& flow, const std::vector<Secret>& answers) const {
    return call<FlowStep>(
        bus_address_, next_timeout_usec_, flow.c_str(), bus::kFlowInterface, "Next", true,
        [&](sd_bus_message* m) {
            int r = sd_bus_message_open_container(m, 'a', "s");
            for (const Secret& answer : answers)
                if (r >= 0)
                    r = sd_bus_message_append_basic(m, 's', answer.c_str());
            return r < 0 ? r : sd_bus_message_close_container(m);
        },
        read_step);
}

Result<void> DaemonClient::cancel(const std::string& flow) const {
    auto done = call<bool>(
        bus_address_, call_timeout_usec_, flow.c_str(), bus::kFlowInterface, "Cancel", false,
        [](sd_bus_message*) { return 0; }, [](sd_bus_message*) -> Result<bool> { return true; });
    if (!done)
        return done.error();
    return {};
}

Result<std::vector<std::string>> DaemonClient::take_notices(const std::string& user) const {
    return call<std::vector<std::string>>(
        bus_address_, call_timeout_usec_, bus::kObjectPath, bus::kManagerInterface, "TakeNotices", false,
        [&](sd_bus_message* m) { return sd_bus_message_append(m, "s", user.c_str()); }, read_notices);
}

Result<FlowStep> Flow::next(const std::vector<Secret>& answers) {
    auto step = daemon_->next(path_, answers);
    if (step && step->state != FlowState::Continue)
        open_ = false;  // the daemon has ended the flow
    return step;
}

void Flow::cancel() noexcept {
    if (!std::exchange(open_, false))
        return;
    try {
        (void)daemon_->cancel(path_);
    } catch (...) {
        // Best effort: the daemon expires idle flows all the same.
    }
}

}  // namespace recoveryd::pam
