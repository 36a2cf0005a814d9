#include "ctl/AuditCommand.h"

#include <cstdio>

#include "common/Validation.h"
#include "ctl/DaemonClient.h"
#include "ctl/ExitCode.h"
#include "ctl/RecordJson.h"
#include "ctl/TimeArgs.h"
#include "common/UntrustedText.h"

namespace recoveryd::ctl {
namespace {

// Audited user names include names typed at a prompt, so not only valid ones.
constexpr std::size_t kMaxAuditUserBytes = 256;

std::string format_row(const AuditRow& row) {
    std::string out = utc_from_usec(row.time_usec) + "  #" + std::to_string(row.id) + "  " + escape_untrusted(row.action) +
                      "  " + escape_untrusted(row.outcome);
    const auto field = [&out](const char* key, const std::string& value, bool free_text) {
        if (value.empty())
            return;
        out += "  ";
        out += key;
        out += '=';
        out += free_text ? quote_untrusted(value) : escape_untrusted(value);
    };
    field("actor", row.actor, false);
    field("user", row.user, true);
    field("service", row.service, false);
    field("tty", row.tty, false);
    field("rhost", row.rhost, false);
    field("ruser", row.ruser, true);
    field("detail", row.detail, true);
    return out + "\n";
}

}  // namespace

std::string format_audit_text(const std::vector<AuditRow>& rows) {
    if (rows.empty())
        return "No audit rows.\n";
    std::string out;
    for (const AuditRow& row : rows)
        out += format_row(row);
    return out;
}

std::string format_audit_json(const std::vector<AuditRow>& rows) {
    return records_to_json(rows, kAuditRowFields);
}

Result<AuditFilter> make_audit_filter(const AuditOptions& options, std::uint64_t now) {
    AuditFilter filter;
    if (options.user) {
        if (auto valid = validate_text("--user", *options.user, kMaxAuditUserBytes); !valid)
            return valid.error();
        filter.user = options.user;
    }
    if (options.since) {
        auto since = parse_since(*options.since, now);
        if (!since)
            return since.error();
        filter.since_usec = *since;
    }
    filter.limit = options.limit;
    return filter;
}

int run_audit(const AuditOptions& options) {
    auto filter = make_audit_filter(options, now_usec());
    if (!filter)
        return report_error(filter.error());
    auto client = DaemonClient::connect();
    if (!client)
        return report_error(client.error());
    auto rows = client->list_audit(*filter);
    if (!rows)
        return report_error(rows.error());
    const std::string text = options.json ? format_audit_json(*rows) : format_audit_text(*rows);
    std::fputs(text.c_str(), stdout);
    return kExitOk;
}

}  // namespace recoveryd::ctl
