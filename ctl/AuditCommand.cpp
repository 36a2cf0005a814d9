#include "ctl/AuditCommand.h"

#include <cstdio>
#include <nlohmann/json.hpp>

#include "common/UntrustedText.h"
#include "common/Validation.h"
#include "ctl/DaemonClient.h"
#include "ctl/ExitCode.h"
#include "ctl/RecordJson.h"
#include "ctl/TimeArgs.h"

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

std::string rows_text(std::uint64_t count) {
    return std::to_string(count) + (count == 1 ? " row" : " rows");
}

int run_verify(bool json) {
    auto client = DaemonClient::connect();
    if (!client)
        return report_error(client.error());
    auto verification = client->verify_audit();
    if (!verification)
        return report_error(verification.error());
    const std::string text = json ? format_verification_json(*verification) : format_verification_text(*verification);
    std::fputs(text.c_str(), stdout);
    return verification->intact ? kExitOk : kExitTampered;
}

}  // namespace

std::string format_verification_text(const AuditVerification& v) {
    if (v.intact)
        return "audit log intact: " + rows_text(v.rows_checked) + " checked\n";
    std::string out = "audit log has been tampered with: " + escape_untrusted(v.problem) + " (" +
                      rows_text(v.rows_checked) + " checked)\n";
    if (v.first_bad_row > 0)
        out += "The journal keeps a copy of each row as it was written: journalctl -o verbose RECOVERYD_AUDIT_ROW=" +
               std::to_string(v.first_bad_row) + "\n";
    return out;
}

std::string format_verification_json(const AuditVerification& v) {
    nlohmann::ordered_json out;
    out["intact"] = v.intact;
    out["rows_checked"] = v.rows_checked;
    out["first_bad_row"] = v.intact ? nlohmann::ordered_json() : nlohmann::ordered_json(v.first_bad_row);
    out["problem"] = v.intact ? nlohmann::ordered_json() : nlohmann::ordered_json(v.problem);
    return out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

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
    if (options.verify)
        return run_verify(options.json);
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
