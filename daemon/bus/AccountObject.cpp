#include "daemon/bus/AccountObject.h"

#include <memory>

#include "common/BusNames.h"
#include "daemon/bus/Authorization.h"
#include "daemon/bus/BusErrors.h"
#include "daemon/bus/HandlerGuard.h"
#include "daemon/bus/MessageReader.h"
#include "daemon/bus/PendingCall.h"

namespace recoveryd {
namespace {

int reply_status(sd_bus_message* call, const AccountStatus& status) {
    return sd_bus_reply_method_return(call, "a{sv}", 3, "User", "s", status.user.c_str(), "RecoveryCodesRemaining",
                                      "u", status.recovery_codes_remaining, "RecoveryCodesEnrolledAt", "t",
                                      static_cast<uint64_t>(status.recovery_codes_enrolled_at));
}

// The codes are secrets: the reply is marked sensitive, so sd-bus wipes it.
int reply_codes(sd_bus_message* call, const std::vector<Secret>& codes) {
    sd_bus_message* raw = nullptr;
    int r = sd_bus_message_new_method_return(call, &raw);
    if (r < 0)
        return r;
    const BusMessagePtr reply(raw);
    sd_bus_message_sensitive(raw);
    if ((r = sd_bus_message_open_container(raw, 'a', "s")) < 0)
        return r;
    for (const Secret& code : codes)
        if ((r = sd_bus_message_append(raw, "s", code.c_str())) < 0)
            return r;
    if ((r = sd_bus_message_close_container(raw)) < 0)
        return r;
    return sd_bus_send(nullptr, raw, nullptr);
}

}  // namespace

Result<void> AccountObject::export_on(sd_bus* bus) {
    static const sd_bus_vtable vtable[] = {
        SD_BUS_VTABLE_START(0),
        SD_BUS_METHOD_WITH_ARGS("GetStatus", SD_BUS_NO_ARGS, SD_BUS_RESULT("a{sv}", status), on_get_status,
                                SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("EnrollRecoveryCodes", SD_BUS_ARGS("s", current_password),
                                SD_BUS_RESULT("as", codes), on_enroll_recovery_codes, SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_VTABLE_END,
    };
    sd_bus_slot* slot = nullptr;
    if (sd_bus_add_object_vtable(bus, &slot, bus::kObjectPath, bus::kAccountInterface, vtable, this) < 0)
        return make_error(ErrorCode::Internal, "cannot export the Account interface");
    slot_.reset(slot);
    return {};
}

int AccountObject::on_get_status(sd_bus_message* message, void* userdata, sd_bus_error* error) {
    auto& self = *static_cast<AccountObject*>(userdata);
    return guard_handler(error, [&]() -> int {
        auto caller = authorize_account(message);
        if (!caller)
            return reply_with_error(error, caller.error());
        const uid_t uid = caller->uid;
        if (!self.calls_out_.start(uid))
            return reply_with_error(error, too_many_calls());
        const PendingCall call(message);
        auto submitted = self.workers_.run<AccountStatus>(
            [&accounts = self.accounts_, uid] { return accounts.status(uid); },
            [&self, call, uid](Result<AccountStatus> status) {
                self.calls_out_.done(uid);
                if (!status)
                    return call.fail(status.error());
                (void)reply_status(call.get(), *status);
            });
        if (!submitted) {
            self.calls_out_.done(uid);
            return reply_with_error(error, submitted.error());
        }
        return 1;
    });
}

int AccountObject::on_enroll_recovery_codes(sd_bus_message* message, void* userdata, sd_bus_error* error) {
    auto& self = *static_cast<AccountObject*>(userdata);
    return guard_handler(error, [&]() -> int {
        auto caller = authorize_account(message);
        if (!caller)
            return reply_with_error(error, caller.error());
        auto password = read_secret(message, "the current password");
        if (!password)
            return reply_with_error(error, password.error());
        const uid_t uid = caller->uid;
        if (!self.checking_password_.insert(uid).second)
            return reply_with_error(error, make_error(ErrorCode::Unavailable,
                                                      "another password check for your account is in progress"));
        const PendingCall call(message);
        auto secret = std::make_shared<Secret>(std::move(password.value()));
        auto submitted = self.workers_.run<std::vector<Secret>>(
            [&accounts = self.accounts_, uid, secret] { return accounts.enroll_recovery_codes(uid, *secret); },
            [&self, call, uid](Result<std::vector<Secret>> codes) {
                self.checking_password_.erase(uid);
                if (!codes)
                    return call.fail(codes.error());
                (void)reply_codes(call.get(), *codes);
            });
        if (!submitted) {
            self.checking_password_.erase(uid);
            return reply_with_error(error, submitted.error());
        }
        return 1;
    });
}

}  // namespace recoveryd
