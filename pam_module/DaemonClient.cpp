#include "pam_module/DaemonClient.h"

#include <cstring>
#include <vector>

#include "common/BusNames.h"
#include "common/Validation.h"

namespace recoveryd::pam {
namespace {

Error call_failed(const char* method, const BusError& error, int r) {
    return make_error(ErrorCode::Unavailable, std::string(method) + " failed: " +
                                                  (error.is_set() ? error.name() : std::strerror(-r)));
}

Error bad_reply(const char* why) {
    return make_error(ErrorCode::Unavailable, std::string("recoveryd sent a malformed reply: ") + why);
}

Result<FlowMessage> read_message(sd_bus_message* reply) {
    std::uint32_t style = 0;
    const char* text = nullptr;
    if (sd_bus_message_read(reply, "(us)", &style, &text) <= 0)
        return bad_reply("unreadable message");
    if (!is_known_style(style))
        return bad_reply("unknown message style");
    const std::string_view view(text);
    if (view.size() > kMaxMessageBytes || !is_valid_utf8(view))
        return bad_reply("message too long or not UTF-8");
    return FlowMessage{static_cast<MessageStyle>(style), std::string(view)};
}

Result<FlowStep> read_step(sd_bus_message* reply) {
    std::uint32_t state = 0;
    if (sd_bus_message_read(reply, "u", &state) < 0 || !is_known_state(state))
        return bad_reply("unknown state");
    FlowStep step{static_cast<FlowState>(state), {}};
    if (sd_bus_message_enter_container(reply, 'a', "(us)") < 0)
        return bad_reply("no message list");
    while (sd_bus_message_at_end(reply, false) == 0) {
        if (step.messages.size() == kMaxMessages)
            return bad_reply("too many messages");
        auto message = read_message(reply);
        if (!message)
            return message.error();
        step.messages.push_back(std::move(*message));
    }
    if (sd_bus_message_exit_container(reply) < 0)
        return bad_reply("unterminated message list");
    return step;
}

}  // namespace

Result<DaemonClient> DaemonClient::connect(std::uint64_t call_timeout_usec) {
    sd_bus* raw = nullptr;
    const int r = sd_bus_open_system(&raw);
    BusPtr bus(raw);
    if (r < 0)
        return make_error(ErrorCode::Unavailable, std::string("no system bus: ") + std::strerror(-r));
    sd_bus_set_method_call_timeout(bus.get(), call_timeout_usec);
    return DaemonClient(std::move(bus));
}

Result<void> DaemonClient::start_flow(const std::string& user, const FlowContext& context) {
    sd_bus_message* raw = nullptr;
    int r = sd_bus_message_new_method_call(bus_.get(), &raw, bus::kServiceName, bus::kObjectPath,
                                           bus::kManagerInterface, "StartFlow");
    BusMessagePtr call(raw);
    if (r >= 0)
        r = sd_bus_message_append(call.get(), "s", user.c_str());
    if (r >= 0)
        r = sd_bus_message_open_container(call.get(), 'a', "{sv}");
    for (const auto& [key, value] : context)
        if (r >= 0)
            r = sd_bus_message_append(call.get(), "{sv}", key.c_str(), "s", value.c_str());
    if (r >= 0)
        r = sd_bus_message_close_container(call.get());
    if (r < 0)
        return make_error(ErrorCode::Internal, "cannot build StartFlow");

    BusError error;
    sd_bus_message* reply_raw = nullptr;
    r = sd_bus_call(bus_.get(), call.get(), 0, error.get(), &reply_raw);
    BusMessagePtr reply(reply_raw);
    if (r < 0)
        return call_failed("StartFlow", error, r);
    const char* path = nullptr;
    if (sd_bus_message_read(reply.get(), "o", &path) < 0 ||
        std::strncmp(path, bus::kFlowPathPrefix, std::strlen(bus::kFlowPathPrefix)) != 0)
        return bad_reply("not a flow object");
    flow_path_ = path;
    return {};
}

Result<FlowStep> DaemonClient::next(const std::vector<Secret>& answers, std::uint64_t timeout_usec) {
    sd_bus_message* raw = nullptr;
    int r = sd_bus_message_new_method_call(bus_.get(), &raw, bus::kServiceName, flow_path_.c_str(),
                                           bus::kFlowInterface, "Next");
    BusMessagePtr call(raw);
    // Answers are secrets: sd-bus wipes a sensitive message when freeing it.
    if (r >= 0)
        r = sd_bus_message_sensitive(call.get());
    if (r >= 0)
        r = sd_bus_message_open_container(call.get(), 'a', "s");
    for (const Secret& answer : answers)
        if (r >= 0)
            r = sd_bus_message_append_basic(call.get(), 's', answer.c_str());
    if (r >= 0)
        r = sd_bus_message_close_container(call.get());
    if (r < 0)
        return make_error(ErrorCode::Internal, "cannot build Next");

    BusError error;
    sd_bus_message* reply_raw = nullptr;
    r = sd_bus_call(bus_.get(), call.get(), timeout_usec, error.get(), &reply_raw);
    BusMessagePtr reply(reply_raw);
    if (r < 0)
        return call_failed("Next", error, r);
    return read_step(reply.get());
}

void DaemonClient::cancel() {
    if (flow_path_.empty())
        return;
    BusError error;
    sd_bus_call_method(bus_.get(), bus::kServiceName, flow_path_.c_str(), bus::kFlowInterface, "Cancel",
                       error.get(), nullptr, "");
    flow_path_.clear();
}

}  // namespace recoveryd::pam
