#include "daemon/bus/Announcer.h"

#include <chrono>
#include <memory>
#include <variant>

#include "common/BusNames.h"
#include "common/TimeText.h"
#include "daemon/audit/AuditLog.h"
#include "daemon/methods/ApprovalCodes.h"
#include "daemon/policy/CurrentPolicy.h"
#include "daemon/store/Store.h"

namespace recoveryd {
namespace {

HookEvent request_event(const HelpRequest& r) {
    return HookEvent{"request-filed",
                     {{"REQUEST_ID", format_request_id(r.id)},
                      {"USER", r.user},
                      {"ACCOUNT", r.account},
                      {"FILED_AT", utc_iso8601(r.filed_at / 1000000)},
                      {"SERVICE", r.service},
                      {"TTY", r.tty},
                      {"RHOST", r.rhost},
                      {"RUSER", r.ruser},
                      {"CONTACT", r.contact},
                      {"REASON", r.reason}}};
}

std::string describe(const ProcessExit& exit) {
    const std::string said = exit.stderr_line().empty() ? std::string() : "; stderr: " + exit.stderr_line();
    switch (exit.how) {
    case ProcessExit::How::Exited: return "exit status " + std::to_string(exit.status) + said;
    case ProcessExit::How::Signaled: return "killed by signal " + std::to_string(exit.status) + said;
    case ProcessExit::How::TimedOut: return "killed after its time limit" + said;
    }
    return "unknown outcome";
}

}  // namespace

HookEvent password_reset_event(const PasswordReset& r) {
    return HookEvent{"password-reset",
                     {{"USER", r.user},
                      {"UID", std::to_string(r.uid)},
                      {"HOW", r.way == ResetWay::Administrator ? "administrator" : "recovery"},
                      {"BY", r.admin},
                      {"RESET_AT", utc_iso8601(r.at)},
                      {"SERVICE", r.service},
                      {"TTY", r.tty},
                      {"RHOST", r.rhost},
                      {"RUSER", r.ruser},
                      {"REQUEST_ID", r.request_id.empty() ? std::string() : format_request_id(r.request_id)}}};
}

void Announcer::request_filed(const FiledRequest& filed, const FlowJobContext& job) {
    (void)sd_bus_emit_signal(bus_, bus::kObjectPath, bus::kManagerInterface, "RequestFiled", "ss",
                             format_request_id(filed.id).c_str(), filed.user.c_str());
    queue_hook(
        job.policy->admin, "request " + format_request_id(filed.id),
        [job, id = filed.id]() -> Result<HookEvent> {
            const auto request = job.services.store.find_request(id, job.services.clock());
            if (!request)
                return request.error();
            return request_event(*request);
        },
        [job](const char* outcome, std::string detail) { (void)job.record("hook.notify", outcome, std::move(detail)); });
}

void Announcer::password_reset(const PasswordReset& reset) {
    queue_hook(
        services_.policy.get()->admin, "password reset",
        [reset]() -> Result<HookEvent> { return password_reset_event(reset); },
        [&audit = services_.audit, reset](const char* outcome, std::string detail) {
            AuditRecord entry{};
            entry.actor = reset.actor;
            entry.target_user = reset.user;
            entry.service = reset.service;
            entry.tty = reset.tty;
            entry.rhost = reset.rhost;
            entry.ruser = reset.ruser;
            entry.action = "hook.notify";
            entry.outcome = outcome;
            entry.detail = std::move(detail);
            (void)audit.record(std::move(entry));
        });
}

namespace {

// One queued run of the hook. Audited whichever way it goes: a run that
// never happens (the queue was full, or recoveryd stopped before the hooks'
// thread reached it) is audited when its last copy goes.
struct QueuedHook {
    std::string hook;
    std::chrono::seconds timeout;
    std::string about;  // "password reset: /path/to/hook"
    std::function<Result<HookEvent>()> event;
    std::function<void(const char*, std::string)> audit;
    std::string not_run = "recoveryd stopped before its turn";
    bool ran = false;

    ~QueuedHook() {
        if (ran)
            return;
        try {
            audit("error", about + ": not run: " + not_run);
        } catch (...) {  // a destructor; the audit log fails closed on its own
        }
    }

    void run() {
        ran = true;
        const auto made = event();
        if (!made) {
            audit("error", about + ": " + made.error().message);
            return;
        }
        const auto exit = run_notify_hook(hook, timeout, *made);
        if (!exit)
            audit("error", about + ": " + exit.error().message);
        else
            audit(exit->succeeded() ? "ok" : "failed", about + ": " + describe(*exit));
    }
};

}  // namespace

void Announcer::queue_hook(const AdminPolicy& admin, std::string what, std::function<Result<HookEvent>()> event,
                           HookAudit audit) {
    if (admin.notify_hook.empty())
        return;
    auto queued = std::make_shared<QueuedHook>();
    queued->hook = admin.notify_hook;
    queued->timeout = admin.notify_hook_timeout;
    queued->about = what + ": " + admin.notify_hook;
    queued->event = std::move(event);
    queued->audit = std::move(audit);
    auto submitted = hooks_.run<std::monostate>(
        [queued]() -> Result<std::monostate> {
            queued->run();
            return std::monostate{};
        },
        [](Result<std::monostate>) {});
    // Many events at once (for a request, the signal went out): the row is
    // written here, on the loop, as `queued` goes; rare, and only in a flood.
    if (!submitted)
        queued->not_run = "more hooks were waiting than recoveryd queues";
}

}  // namespace recoveryd
