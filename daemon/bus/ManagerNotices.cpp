#include "daemon/bus/ManagerNotices.h"

#include <string>
#include <vector>

#include "common/BusNames.h"
#include "daemon/audit/AuditLog.h"
#include "daemon/bus/Authorization.h"
#include "daemon/bus/BusErrors.h"
#include "daemon/bus/HandlerGuard.h"
#include "daemon/bus/MessageReader.h"
#include "daemon/bus/PendingCall.h"
#include "daemon/resets/OwnerNotices.h"
#include "daemon/users/UserDatabase.h"

namespace recoveryd {
namespace {

using Texts = std::vector<std::string>;

std::string describe(const TakenNotices& taken) {
    std::string detail = std::to_string(taken.texts.size()) + " notice(s) given to the login to show";
    if (taken.discarded > 0)
        detail += "; " + std::to_string(taken.discarded) +
                  " of a former account with this name or uid discarded unseen";
    if (!taken.problem.empty())
        detail += "; marker: " + taken.problem;
    return detail;
}

// On a worker. A name without an account has nothing waiting.
Result<Texts> take_notices(Services& services, const Caller& caller, const std::string& user) {
    const auto account = find_user_by_name(user);
    if (!account)
        return account.error().code == ErrorCode::NotFound ? Result<Texts>(Texts{}) : Result<Texts>(account.error());
    OwnerNotices notices(services.store, services.notice_markers);
    auto taken = notices.take(user, account->uid);
    if (!taken)
        return taken.error();
    if (!taken->texts.empty() || taken->discarded > 0 || !taken->problem.empty()) {
        AuditRecord entry{};
        entry.actor = "uid:" + std::to_string(caller.uid);
        entry.target_user = user;
        entry.action = "notice.show";
        entry.outcome = "ok";
        entry.detail = describe(*taken);
        // Taken already: the owner is better told than not, so a row that
        // cannot be written does not hold the notices back.
        (void)services.audit.record(std::move(entry));
    }
    return std::move(taken->texts);
}

int send_texts(sd_bus_message* call, const Texts& texts) {
    sd_bus_message* raw = nullptr;
    int r = sd_bus_message_new_method_return(call, &raw);
    const BusMessagePtr reply(raw);
    if (r >= 0)
        r = sd_bus_message_open_container(raw, 'a', "s");
    for (const std::string& text : texts)
        if (r >= 0)
            r = sd_bus_message_append_basic(raw, 's', text.c_str());
    if (r >= 0)
        r = sd_bus_message_close_container(raw);
    return r < 0 ? r : sd_bus_send(nullptr, raw, nullptr);
}

}  // namespace

Result<void> ManagerNotices::export_on(sd_bus* bus) {
    static const sd_bus_vtable vtable[] = {
        SD_BUS_VTABLE_START(0),
        SD_BUS_METHOD_WITH_ARGS("TakeNotices", SD_BUS_ARGS("s", user), SD_BUS_RESULT("as", notices), on_take_notices,
                                SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_VTABLE_END,
    };
    sd_bus_slot* slot = nullptr;
    if (sd_bus_add_object_vtable(bus, &slot, bus::kObjectPath, bus::kManagerInterface, vtable, this) < 0)
        return make_error(ErrorCode::Internal, "cannot export Manager.TakeNotices");
    slot_.reset(slot);
    return {};
}

int ManagerNotices::on_take_notices(sd_bus_message* message, void* userdata, sd_bus_error* error) {
    auto& self = *static_cast<ManagerNotices*>(userdata);
    return guard_handler(error, [&]() -> int {
        auto caller = authorize_manager(message);
        if (!caller)
            return reply_with_error(error, caller.error());
        auto user = read_user_name(message);
        if (!user)
            return reply_with_error(error, user.error());
        const PendingCall call(message);
        auto submitted = self.workers_.run<Texts>(
            [&services = self.services_, who = *caller, user = *user]() { return take_notices(services, who, user); },
            [call](Result<Texts> texts) {
                if (!texts)
                    return call.fail(texts.error());
                if (send_texts(call.get(), *texts) < 0)
                    call.fail(make_error(ErrorCode::Internal, "could not send the reply"));
            });
        return submitted ? 1 : reply_with_error(error, submitted.error());
    });
}

}  // namespace recoveryd
