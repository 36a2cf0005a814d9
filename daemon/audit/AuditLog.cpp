#include "daemon/audit/AuditLog.h"

#include <ctime>
#include <sys/uio.h>
#include <systemd/sd-journal.h>

namespace recoveryd {

std::vector<std::string> journal_fields(const AuditRecord& r) {
    std::vector<std::string> fields{
        "MESSAGE=recovery " + r.action + " for " + (r.target_user.empty() ? "-" : r.target_user) + ": " +
            r.outcome + (r.detail.empty() ? "" : " (" + r.detail + ")"),
        std::string("PRIORITY=") + (r.outcome == "ok" ? "6" : "5"),
        "RECOVERYD_ACTION=" + r.action,
        "RECOVERYD_OUTCOME=" + r.outcome,
        "RECOVERYD_USER=" + r.target_user,
        "RECOVERYD_ACTOR=" + r.actor,
        "RECOVERYD_SERVICE=" + r.service,
        "RECOVERYD_TTY=" + r.tty,
        "RECOVERYD_RHOST=" + r.rhost,
    };
    if (!r.ruser.empty())
        fields.push_back("RECOVERYD_RUSER=" + r.ruser);
    if (r.app_uid >= 0)
        fields.push_back("RECOVERYD_APP_UID=" + std::to_string(r.app_uid));
    if (r.login_uid >= 0)
        fields.push_back("RECOVERYD_LOGIN_UID=" + std::to_string(r.login_uid));
    return fields;
}

namespace {

void send_to_journal(const AuditRecord& r) {
    const std::vector<std::string> fields = journal_fields(r);
    std::vector<iovec> entry;
    entry.reserve(fields.size());
    for (const std::string& field : fields)
        entry.push_back(iovec{const_cast<char*>(field.data()), field.size()});
    // Best effort: the store is the record; a missing journal is not fatal.
    (void)sd_journal_sendv(entry.data(), static_cast<int>(entry.size()));
}

}  // namespace

Result<void> AuditLog::record(AuditRecord record) {
    if (record.time == 0)
        record.time = static_cast<std::int64_t>(std::time(nullptr));
    if (auto stored = store_.append_audit(record); !stored)
        return stored.error();
    send_to_journal(record);
    return {};
}

}  // namespace recoveryd
