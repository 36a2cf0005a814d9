#include "daemon/audit/AuditLog.h"

#include <ctime>
#include <systemd/sd-journal.h>

namespace recoveryd {
namespace {

void send_to_journal(const AuditRecord& r) {
    const std::string message = "recovery " + r.action + " for " + (r.target_user.empty() ? "-" : r.target_user) +
                                ": " + r.outcome + (r.detail.empty() ? "" : " (" + r.detail + ")");
    // Best effort: the store is the record; a missing journal is not fatal.
    sd_journal_send("MESSAGE=%s", message.c_str(), "PRIORITY=%i", r.outcome == "ok" ? 6 : 5,
                    "RECOVERYD_ACTION=%s", r.action.c_str(), "RECOVERYD_OUTCOME=%s", r.outcome.c_str(),
                    "RECOVERYD_USER=%s", r.target_user.c_str(), "RECOVERYD_ACTOR=%s", r.actor.c_str(),
                    "RECOVERYD_SERVICE=%s", r.service.c_str(), "RECOVERYD_TTY=%s", r.tty.c_str(),
                    "RECOVERYD_RHOST=%s", r.rhost.c_str(), nullptr);
}

}  // namespace

Result<void> AuditLog::record(AuditRecord record) {
    if (record.time == 0)
        record.time = static_cast<std::int64_t>(std::time(nullptr));
    if (auto stored = store_.append_audit(record); !stored)
        return stored;
    send_to_journal(record);
    return {};
}

}  // namespace recoveryd
