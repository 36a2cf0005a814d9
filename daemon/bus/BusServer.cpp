#include "daemon/bus/BusServer.h"

#include <cerrno>
#include <cstring>
#include <string>

#include "common/BusNames.h"
#include "daemon/bus/Authorization.h"
#include "daemon/bus/BusErrors.h"
#include "daemon/bus/HandlerGuard.h"
#include "daemon/bus/MessageReader.h"
#include "daemon/policy/Policy.h"
#include "daemon/users/UserDatabase.h"

namespace recoveryd {

namespace {

Error bus_failure(const char* what, int r) {
    return make_error(ErrorCode::Unavailable, std::string(what) + ": " + std::strerror(-r));
}

Result<UserRecord> caller_account(const Caller& caller) {
    auto user = find_user_by_uid(caller.uid);
    if (!user)
        return make_error(ErrorCode::NotFound, "your user id has no entry in the user database");
    return user;
}

}  // namespace

Result<std::unique_ptr<BusServer>> BusServer::start(sd_event* event, Services& services) {
    sd_bus* raw = nullptr;
    if (const int r = sd_bus_open_system(&raw); r < 0)
        return bus_failure("cannot connect to the system bus", r);
    std::unique_ptr<BusServer> server(new BusServer(BusPtr(raw), services));
    if (const int r = sd_bus_attach_event(raw, event, SD_EVENT_PRIORITY_NORMAL); r < 0)
        return bus_failure("cannot attach to the event loop", r);
    // Without the bus the daemon can serve nobody: the loop ends with
    // EXIT_FAILURE, and systemd (or bus activation) starts a fresh one.
    if (const int r = sd_bus_set_exit_on_disconnect(raw, 1); r < 0)
        return bus_failure("cannot watch the bus connection", r);
    if (auto exported = server->export_objects(event); !exported)
        return exported.error();
    if (const int r = sd_bus_request_name(raw, bus::kServiceName, 0); r < 0)
        return bus_failure("cannot own the name io.recoveryd.Recovery1 (is another recoveryd running, "
                           "and is dbus/io.recoveryd.Recovery1.conf installed?)",
                           r);
    return server;
}

Result<void> BusServer::export_objects(sd_event* event) {
    static const sd_bus_vtable manager_vtable[] = {
        SD_BUS_VTABLE_START(0),
        SD_BUS_METHOD_WITH_ARGS("StartFlow", SD_BUS_ARGS("s", user, "a{sv}", context), SD_BUS_RESULT("o", flow),
                                on_start_flow, SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_VTABLE_END,
    };
    static const sd_bus_vtable account_vtable[] = {
        SD_BUS_VTABLE_START(0),
        SD_BUS_METHOD_WITH_ARGS("GetStatus", SD_BUS_NO_ARGS, SD_BUS_RESULT("a{sv}", status), on_get_status,
                                SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("EnrollRecoveryCodes", SD_BUS_ARGS("s", current_password),
                                SD_BUS_RESULT("as", codes), on_enroll_recovery_codes, SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_VTABLE_END,
    };
    flows_ = std::make_unique<FlowRegistry>(bus_.get(), event, services_);
    sd_bus_slot* slot = nullptr;
    if (const int r = sd_bus_add_object_vtable(bus_.get(), &slot, bus::kObjectPath, bus::kManagerInterface,
                                               manager_vtable, this);
        r < 0)
        return bus_failure("cannot export the Manager interface", r);
    manager_slot_.reset(slot);
    if (const int r = sd_bus_add_object_vtable(bus_.get(), &slot, bus::kObjectPath, bus::kAccountInterface,
                                               account_vtable, this);
        r < 0)
        return bus_failure("cannot export the Account interface", r);
    account_slot_.reset(slot);
    return {};
}

int BusServer::on_start_flow(sd_bus_message* message, void* userdata, sd_bus_error* error) {
    auto& self = *static_cast<BusServer*>(userdata);
    return guard_handler(error, [&]() -> int {
        if (auto caller = authorize_manager(message); !caller)
            return reply_with_error(error, caller.error());
        auto user = read_user_name(message);
        if (!user)
            return reply_with_error(error, user.error());
        auto context = read_flow_context(message);
        if (!context)
            return reply_with_error(error, context.error());
        if (!self.services_.policy.enabled)
            return reply_with_error(error, make_error(ErrorCode::Unavailable,
                                                      "account recovery is turned off by the recovery policy"));
        auto path = self.flows_->start(message, std::move(user.value()), std::move(context.value()));
        if (!path)
            return reply_with_error(error, path.error());
        return sd_bus_reply_method_return(message, "o", path->c_str());
    });
}

int BusServer::on_get_status(sd_bus_message* message, void* userdata, sd_bus_error* error) {
    auto& self = *static_cast<BusServer*>(userdata);
    return guard_handler(error, [&]() -> int {
        auto caller = authorize_account(message);
        if (!caller)
            return reply_with_error(error, caller.error());
        auto account = caller_account(*caller);
        if (!account)
            return reply_with_error(error, account.error());
        auto status = self.accounts_.status(*account);
        if (!status)
            return reply_with_error(error, status.error());
        return sd_bus_reply_method_return(message, "a{sv}", 3, "User", "s", status->user.c_str(),
                                          "RecoveryCodesRemaining", "u", status->recovery_codes_remaining,
                                          "RecoveryCodesEnrolledAt", "t",
                                          static_cast<uint64_t>(status->recovery_codes_enrolled_at));
    });
}

int BusServer::on_enroll_recovery_codes(sd_bus_message* message, void* userdata, sd_bus_error* error) {
    auto& self = *static_cast<BusServer*>(userdata);
    return guard_handler(error, [&]() -> int {
        auto caller = authorize_account(message);
        if (!caller)
            return reply_with_error(error, caller.error());
        auto password = read_secret(message, "the current password");
        if (!password)
            return reply_with_error(error, password.error());
        auto account = caller_account(*caller);
        if (!account)
            return reply_with_error(error, account.error());
        auto codes = self.accounts_.enroll_recovery_codes(*account, *password);
        if (!codes)
            return reply_with_error(error, codes.error());

        sd_bus_message* raw = nullptr;
        int r = sd_bus_message_new_method_return(message, &raw);
        if (r < 0)
            return r;
        const BusMessagePtr reply(raw);
        sd_bus_message_sensitive(raw);
        if ((r = sd_bus_message_open_container(raw, 'a', "s")) < 0)
            return r;
        for (const Secret& code : *codes)
            if ((r = sd_bus_message_append(raw, "s", code.c_str())) < 0)
                return r;
        if ((r = sd_bus_message_close_container(raw)) < 0)
            return r;
        return sd_bus_send(nullptr, raw, nullptr);
    });
}

}  // namespace recoveryd
