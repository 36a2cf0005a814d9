#include "daemon/bus/RequestAnnouncer.h"

#include <cstdio>
#include <variant>

#include "common/BusNames.h"
#include "common/TimeText.h"
#include "daemon/hooks/NotifyHook.h"
#include "daemon/methods/ApprovalCodes.h"
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

// On the hooks' worker: runs the hook once, audits what happened.
void run_hook(const FlowJobContext& job, const std::string& id) {
    const AdminPolicy& admin = job.policy->admin;
    const auto request = job.services.store.find_request(id, job.services.clock());
    if (!request) {
        (void)job.record("hook.notify", "error", request.error().message);
        return;
    }
    const auto ran = run_notify_hook(admin.notify_hook, admin.notify_hook_timeout, request_event(*request));
    const std::string what = "request " + format_request_id(id) + ": " + admin.notify_hook;
    if (!ran)
        (void)job.record("hook.notify", "error", what + ": " + ran.error().message);
    else
        (void)job.record("hook.notify", ran->succeeded() ? "ok" : "failed", what + ": " + describe(*ran));
}

}  // namespace

void RequestAnnouncer::announce(const FiledRequest& filed, const FlowJobContext& job) {
    (void)sd_bus_emit_signal(bus_, bus::kObjectPath, bus::kManagerInterface, "RequestFiled", "ss",
                             format_request_id(filed.id).c_str(), filed.user.c_str());
    if (job.policy->admin.notify_hook.empty())
        return;
    auto queued = hooks_.run<std::monostate>(
        [job, id = filed.id]() -> Result<std::monostate> {
            run_hook(job, id);
            return std::monostate{};
        },
        [](Result<std::monostate>) {});
    if (!queued)  // the queue is full: many requests at once; the signal went out
        std::fprintf(stderr, "recoveryd: notify hook not run for request %s: %s\n",
                     format_request_id(filed.id).c_str(), queued.error().message.c_str());
}

}  // namespace recoveryd
