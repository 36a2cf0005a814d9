#include "daemon/bus/AdminObject.h"

#include "common/BusNames.h"
#include "daemon/bus/Authorization.h"
#include "daemon/bus/BusErrors.h"
#include "daemon/bus/HandlerGuard.h"
#include "daemon/bus/MessageReader.h"
#include "daemon/bus/PendingCall.h"

namespace recoveryd {

Result<void> AdminObject::export_on(sd_bus* bus) {
    static const sd_bus_vtable vtable[] = {
        SD_BUS_VTABLE_START(0),
        SD_BUS_METHOD_WITH_ARGS("ForgetUser", SD_BUS_ARGS("s", user), SD_BUS_RESULT("u", removed), on_forget_user,
                                SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_VTABLE_END,
    };
    sd_bus_slot* slot = nullptr;
    if (sd_bus_add_object_vtable(bus, &slot, bus::kObjectPath, bus::kAdminInterface, vtable, this) < 0)
        return make_error(ErrorCode::Internal, "cannot export the Admin interface");
    slot_.reset(slot);
    return {};
}

int AdminObject::on_forget_user(sd_bus_message* message, void* userdata, sd_bus_error* error) {
    auto& self = *static_cast<AdminObject*>(userdata);
    return guard_handler(error, [&]() -> int {
        auto caller = authorize_admin(message, AdminScope::RootOnly);
        if (!caller)
            return reply_with_error(error, caller.error());
        auto user = read_user_name(message);
        if (!user)
            return reply_with_error(error, user.error());
        const PendingCall call(message);
        auto submitted = self.workers_.run<std::size_t>(
            [&admin = self.admin_, uid = caller->uid, name = *user] { return admin.forget_user(uid, name); },
            [call](Result<std::size_t> removed) {
                if (!removed)
                    return call.fail(removed.error());
                (void)sd_bus_reply_method_return(call.get(), "u", static_cast<uint32_t>(*removed));
            });
        return submitted ? 1 : reply_with_error(error, submitted.error());
    });
}

}  // namespace recoveryd
