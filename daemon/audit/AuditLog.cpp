#include "daemon/audit/AuditLog.h"

#include <cstdio>
#include <ctime>
#include <sodium.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <systemd/sd-journal.h>

#include "common/UntrustedText.h"
#include "daemon/audit/MessageIds.h"

namespace recoveryd {
namespace {

// Where sd_journal_sendv sends. It reports success when this socket does
// not exist (journald not running), so its absence is checked here.
constexpr const char* kJournalSocket = "/run/systemd/journal/socket";

std::string hex(const Digest& digest) {
    char text[2 * sizeof(Digest) + 1];
    sodium_bin2hex(text, sizeof text, digest.data(), digest.size());
    return text;
}

bool journal_reachable() {
    struct stat st {};
    return stat(kJournalSocket, &st) == 0 && S_ISSOCK(st.st_mode);
}

// false: the entry did not reach a journal.
bool send_to_journal(const AuditRecord& record, const AuditAnchor& anchor) {
    if (!journal_reachable())
        return false;
    const std::vector<std::string> fields = journal_fields(record, anchor);
    std::vector<iovec> entry;
    entry.reserve(fields.size());
    for (const std::string& field : fields)
        entry.push_back(iovec{const_cast<char*>(field.data()), field.size()});
    return sd_journal_sendv(entry.data(), static_cast<int>(entry.size())) >= 0;
}

}  // namespace

std::vector<std::string> journal_fields(const AuditRecord& r, const AuditAnchor& anchor) {
    std::vector<std::string> fields{
        "MESSAGE=recovery " + r.action + " for " + (r.target_user.empty() ? "-" : r.target_user) + ": " +
            r.outcome + (r.detail.empty() ? "" : " (" + r.detail + ")"),
    };
    if (const std::string_view id = message_id_for(r.action); !id.empty())
        fields.push_back("MESSAGE_ID=" + std::string(id));
    fields.insert(fields.end(), {
                                    std::string("PRIORITY=") + (r.outcome == "ok" ? "6" : "5"),
                                    "SYSLOG_IDENTIFIER=recoveryd",
                                    "RECOVERYD_ACTION=" + r.action,
                                    "RECOVERYD_OUTCOME=" + r.outcome,
                                    "RECOVERYD_USER=" + r.target_user,
                                    "RECOVERYD_ACTOR=" + r.actor,
                                    "RECOVERYD_SERVICE=" + r.service,
                                    "RECOVERYD_TTY=" + r.tty,
                                    "RECOVERYD_RHOST=" + r.rhost,
                                    "RECOVERYD_DETAIL=" + r.detail,
                                });
    if (!r.ruser.empty())
        fields.push_back("RECOVERYD_RUSER=" + r.ruser);
    if (r.app_uid >= 0)
        fields.push_back("RECOVERYD_APP_UID=" + std::to_string(r.app_uid));
    if (r.login_uid >= 0)
        fields.push_back("RECOVERYD_LOGIN_UID=" + std::to_string(r.login_uid));
    fields.push_back("RECOVERYD_AUDIT_ROW=" + std::to_string(anchor.id));
    fields.push_back("RECOVERYD_AUDIT_HASH=" + hex(anchor.hash));
    return fields;
}

std::string fallback_line(const AuditRecord& r, const AuditAnchor& anchor) {
    std::string line = "recoveryd: audit: row " + std::to_string(anchor.id) + " " + quote_untrusted(r.action) + " " +
                       quote_untrusted(r.outcome);
    const auto field = [&line](const char* name, const std::string& value) {
        line += ' ';
        line += name;
        line += '=';
        line += quote_untrusted(value);
    };
    field("user", r.target_user);
    field("actor", r.actor);
    field("service", r.service);
    field("tty", r.tty);
    field("rhost", r.rhost);
    if (!r.ruser.empty())
        field("ruser", r.ruser);
    field("detail", r.detail);
    line += " hash=" + hex(anchor.hash) + "\n";
    return line;
}

Result<void> AuditLog::record(AuditRecord record, std::int64_t settles) {
    if (record.time == 0)
        record.time = static_cast<std::int64_t>(std::time(nullptr));
    const auto anchor = store_.append_audit(record, settles);
    if (!anchor)
        return anchor.error();
    // Best effort: the store is the record. One fputs per line: stdio's lock
    // keeps lines from several threads whole.
    if (!send_to_journal(record, *anchor))
        std::fputs(fallback_line(record, *anchor).c_str(), stderr);
    return {};
}

}  // namespace recoveryd
