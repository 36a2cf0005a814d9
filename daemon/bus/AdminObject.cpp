#include "daemon/bus/AdminObject.h"

#include <variant>

#include "common/BusNames.h"
#include "daemon/bus/AdminArguments.h"
#include "daemon/bus/Authorization.h"
#include "daemon/bus/BusErrors.h"
#include "daemon/bus/HandlerGuard.h"
#include "daemon/bus/MessageReader.h"
#include "daemon/methods/ApprovalCodes.h"

namespace recoveryd {
namespace {

using Empty = std::monostate;

// Builds and sends a method return; `append` fills it in.
int send_return(sd_bus_message* call, bool sensitive, const std::function<int(sd_bus_message*)>& append) {
    sd_bus_message* raw = nullptr;
    int r = sd_bus_message_new_method_return(call, &raw);
    if (r < 0)
        return r;
    const BusMessagePtr reply(raw);
    if (sensitive)
        sd_bus_message_sensitive(raw);  // sd-bus wipes the buffer when it frees it
    if ((r = append(raw)) < 0)
        return r;
    return sd_bus_send(nullptr, raw, nullptr);
}

int append_entry(sd_bus_message* m, const char* key, const std::string& value) {
    return sd_bus_message_append(m, "{sv}", key, "s", value.c_str());
}

int append_entry(sd_bus_message* m, const char* key, std::int64_t value) {
    return sd_bus_message_append(m, "{sv}", key, "t", static_cast<uint64_t>(std::max<std::int64_t>(value, 0)));
}

int append_request(sd_bus_message* m, const HelpRequest& r) {
    int e = sd_bus_message_open_container(m, 'a', "{sv}");
    for (auto [key, value] : {std::pair<const char*, const std::string*>{"User", &r.user}, {"Account", &r.account},
                              {"Service", &r.service}, {"Tty", &r.tty}, {"RHost", &r.rhost}, {"Contact", &r.contact},
                              {"Reason", &r.reason}, {"State", &r.state}, {"DecidedBy", &r.decided_by},
                              {"Note", &r.note}})
        if (e >= 0)
            e = append_entry(m, key, *value);
    if (e >= 0)
        e = append_entry(m, "Id", format_request_id(r.id));
    if (e >= 0)
        e = append_entry(m, "FiledAt", r.filed_at);
    return e < 0 ? e : sd_bus_message_close_container(m);
}

int append_audit_row(sd_bus_message* m, const AuditRow& row) {
    const AuditRecord& r = row.record;
    int e = sd_bus_message_open_container(m, 'a', "{sv}");
    for (auto [key, value] : {std::pair<const char*, const std::string*>{"Actor", &r.actor}, {"User", &r.target_user},
                              {"Service", &r.service}, {"Tty", &r.tty}, {"RHost", &r.rhost}, {"RUser", &r.ruser},
                              {"Action", &r.action}, {"Outcome", &r.outcome}, {"Detail", &r.detail}})
        if (e >= 0)
            e = append_entry(m, key, *value);
    if (e >= 0)
        e = append_entry(m, "Id", row.id);
    if (e >= 0)
        e = append_entry(m, "Time", r.time * 1000000);
    return e < 0 ? e : sd_bus_message_close_container(m);
}

template <typename Item>
int append_list(sd_bus_message* m, const std::vector<Item>& items, int (*append)(sd_bus_message*, const Item&)) {
    int e = sd_bus_message_open_container(m, 'a', "a{sv}");
    for (const Item& item : items)
        if (e >= 0)
            e = append(m, item);
    return e < 0 ? e : sd_bus_message_close_container(m);
}

int reply_empty(sd_bus_message* call, const Empty&) { return sd_bus_reply_method_return(call, nullptr); }

}  // namespace

Result<void> AdminObject::export_on(sd_bus* bus) {
    static const sd_bus_vtable vtable[] = {
        SD_BUS_VTABLE_START(0),
        SD_BUS_METHOD_WITH_ARGS("ListRequests", SD_BUS_ARGS("a{sv}", filter), SD_BUS_RESULT("aa{sv}", requests),
                                on_list_requests, SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("ApproveRequest", SD_BUS_ARGS("s", id, "s", note),
                                SD_BUS_RESULT("s", code, "t", expires_at), on_approve_request,
                                SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("DenyRequest", SD_BUS_ARGS("s", id, "s", reason), SD_BUS_NO_RESULT, on_deny_request,
                                SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("ResetPassword", SD_BUS_ARGS("s", user), SD_BUS_RESULT("s", temporary_password),
                                on_reset_password, SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("Unlock", SD_BUS_ARGS("s", user), SD_BUS_NO_RESULT, on_unlock,
                                SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("ListAudit", SD_BUS_ARGS("a{sv}", filter), SD_BUS_RESULT("aa{sv}", rows),
                                on_list_audit, SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("VerifyAudit", SD_BUS_NO_ARGS,
                                SD_BUS_RESULT("b", intact, "t", rows_checked, "t", first_bad_row, "s", problem),
                                on_verify_audit, SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("ReloadPolicy", SD_BUS_NO_ARGS, SD_BUS_NO_RESULT, on_reload_policy,
                                SD_BUS_VTABLE_UNPRIVILEGED),
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

template <typename T>
int AdminObject::submit(sd_bus_message* message, sd_bus_error* error, WorkerPool& lane,
                        std::function<Result<T>(AdminService&, const Administrator&)> work,
                        std::function<int(sd_bus_message* call, const T& value)> reply, AdminScope scope) {
    auto caller = authorize_admin(message, scope);
    if (!caller)
        return reply_with_error(error, caller.error());
    const uid_t uid = caller->uid;
    // Counted from here until the completion (or a failed submit) gives it back.
    if (!calls_out_.start(uid))
        return reply_with_error(error, too_many_calls());
    const PendingCall call(message);
    auto submitted = lane.run<T>(
        [&admin = admin_, uid, work = std::move(work)]() -> Result<T> {
            auto administrator = admin.admit(uid);
            if (!administrator)
                return administrator.error();
            return work(admin, *administrator);
        },
        [this, uid, call, reply = std::move(reply)](Result<T> result) {
            calls_out_.done(uid);
            if (!result)
                return call.fail(result.error());
            if (reply(call.get(), *result) < 0)
                call.fail(make_error(ErrorCode::Internal, "could not send the reply"));
        });
    if (!submitted) {
        calls_out_.done(uid);
        return reply_with_error(error, submitted.error());
    }
    return 1;
}

int AdminObject::on_list_requests(sd_bus_message* message, void* userdata, sd_bus_error* error) {
    auto& self = *static_cast<AdminObject*>(userdata);
    return guard_handler(error, [&]() -> int {
        auto filter = read_request_filter(message);
        if (!filter)
            return reply_with_error(error, filter.error());
        return self.submit<std::vector<HelpRequest>>(
            message, error, self.workers_,
            [filter = *filter](AdminService& admin, const Administrator& who) {
                return admin.list_requests(who, filter);
            },
            [](sd_bus_message* call, const std::vector<HelpRequest>& requests) {
                return send_return(call, false, [&](sd_bus_message* m) { return append_list(m, requests, append_request); });
            });
    });
}

int AdminObject::on_approve_request(sd_bus_message* message, void* userdata, sd_bus_error* error) {
    auto& self = *static_cast<AdminObject*>(userdata);
    return guard_handler(error, [&]() -> int {
        auto id = read_text(message, "the request id", kMaxRequestIdBytes, false);
        if (!id)
            return reply_with_error(error, id.error());
        auto note = read_text(message, "the note", kMaxNoteBytes, true);
        if (!note)
            return reply_with_error(error, note.error());
        return self.submit<std::shared_ptr<Approval>>(
            message, error, self.workers_,
            [id = *id, note = *note](AdminService& admin, const Administrator& who) -> Result<std::shared_ptr<Approval>> {
                auto approval = admin.approve(who, id, note);
                if (!approval)
                    return approval.error();
                return std::make_shared<Approval>(std::move(*approval));
            },
            [](sd_bus_message* call, const std::shared_ptr<Approval>& approval) {
                return send_return(call, true, [&](sd_bus_message* m) {
                    return sd_bus_message_append(m, "st", approval->code.c_str(),
                                                 static_cast<uint64_t>(approval->expires_at));
                });
            });
    });
}

int AdminObject::on_deny_request(sd_bus_message* message, void* userdata, sd_bus_error* error) {
    auto& self = *static_cast<AdminObject*>(userdata);
    return guard_handler(error, [&]() -> int {
        auto id = read_text(message, "the request id", kMaxRequestIdBytes, false);
        if (!id)
            return reply_with_error(error, id.error());
        auto reason = read_text(message, "the reason", kMaxNoteBytes, false);
        if (!reason)
            return reply_with_error(error, reason.error());
        return self.submit<Empty>(
            message, error, self.workers_,
            [id = *id, reason = *reason](AdminService& admin, const Administrator& who) -> Result<Empty> {
                if (auto denied = admin.deny(who, id, reason); !denied)
                    return denied.error();
                return Empty{};
            },
            reply_empty);
    });
}

int AdminObject::on_reset_password(sd_bus_message* message, void* userdata, sd_bus_error* error) {
    auto& self = *static_cast<AdminObject*>(userdata);
    return guard_handler(error, [&]() -> int {
        auto user = read_user_name(message);
        if (!user)
            return reply_with_error(error, user.error());
        // The shadow-writer thread: rewrites of /etc/shadow stay serialized.
        return self.submit<std::shared_ptr<TemporaryPassword>>(
            message, error, self.shadow_writer_,
            [user = *user](AdminService& admin,
                           const Administrator& who) -> Result<std::shared_ptr<TemporaryPassword>> {
                auto reset = admin.reset_password(who, user);
                if (!reset)
                    return reset.error();
                return std::make_shared<TemporaryPassword>(std::move(*reset));
            },
            [&self](sd_bus_message* call, const std::shared_ptr<TemporaryPassword>& reset) {
                if (reset->reset)
                    self.announcer_.password_reset(*reset->reset);
                return send_return(call, true, [&](sd_bus_message* m) {
                    return sd_bus_message_append(m, "s", reset->password.c_str());
                });
            });
    });
}

int AdminObject::on_unlock(sd_bus_message* message, void* userdata, sd_bus_error* error) {
    auto& self = *static_cast<AdminObject*>(userdata);
    return guard_handler(error, [&]() -> int {
        auto user = read_user_name(message);
        if (!user)
            return reply_with_error(error, user.error());
        return self.submit<Empty>(
            message, error, self.workers_,
            [user = *user](AdminService& admin, const Administrator& who) -> Result<Empty> {
                if (auto unlocked = admin.unlock(who, user); !unlocked)
                    return unlocked.error();
                return Empty{};
            },
            reply_empty);
    });
}

int AdminObject::on_list_audit(sd_bus_message* message, void* userdata, sd_bus_error* error) {
    auto& self = *static_cast<AdminObject*>(userdata);
    return guard_handler(error, [&]() -> int {
        auto filter = read_audit_filter(message);
        if (!filter)
            return reply_with_error(error, filter.error());
        return self.submit<std::vector<AuditRow>>(
            message, error, self.workers_,
            [filter = *filter](AdminService& admin, const Administrator& who) { return admin.list_audit(who, filter); },
            [](sd_bus_message* call, const std::vector<AuditRow>& rows) {
                return send_return(call, false, [&](sd_bus_message* m) { return append_list(m, rows, append_audit_row); });
            });
    });
}

int AdminObject::on_verify_audit(sd_bus_message* message, void* userdata, sd_bus_error* error) {
    auto& self = *static_cast<AdminObject*>(userdata);
    return guard_handler(error, [&]() -> int {
        return self.submit<AuditVerification>(
            message, error, self.workers_,
            [](AdminService& admin, const Administrator& who) { return admin.verify_audit(who); },
            [](sd_bus_message* call, const AuditVerification& found) {
                // A bad row's id below 1 (only tampering makes one) is 0 here; the problem names it.
                return sd_bus_reply_method_return(call, "btts", static_cast<int>(found.intact),
                                                  static_cast<uint64_t>(found.rows_checked),
                                                  static_cast<uint64_t>(std::max<std::int64_t>(found.first_bad_row, 0)),
                                                  found.problem.c_str());
            });
    });
}

int AdminObject::on_reload_policy(sd_bus_message* message, void* userdata, sd_bus_error* error) {
    auto& self = *static_cast<AdminObject*>(userdata);
    return guard_handler(error, [&]() -> int {
        return self.submit<Empty>(
            message, error, self.workers_,
            [](AdminService& admin, const Administrator& who) -> Result<Empty> {
                if (auto reloaded = admin.reload_policy(who); !reloaded)
                    return reloaded.error();
                return Empty{};
            },
            reply_empty);
    });
}

int AdminObject::on_forget_user(sd_bus_message* message, void* userdata, sd_bus_error* error) {
    auto& self = *static_cast<AdminObject*>(userdata);
    return guard_handler(error, [&]() -> int {
        auto user = read_user_name(message);
        if (!user)
            return reply_with_error(error, user.error());
        return self.submit<std::size_t>(
            message, error, self.workers_,
            [user = *user](AdminService& admin, const Administrator& who) { return admin.forget_user(who, user); },
            [](sd_bus_message* call, const std::size_t& removed) {
                return sd_bus_reply_method_return(call, "u", static_cast<uint32_t>(removed));
            },
            AdminScope::RootOnly);
    });
}

}  // namespace recoveryd
