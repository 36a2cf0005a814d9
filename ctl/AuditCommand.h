#pragma once
// `recoveryctl audit [--user U] [--since TIME] [--limit N] [--json]`: the
// audit log, oldest first; `recoveryctl audit --verify [--json]`: whether
// its hash chain is intact (administrators).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/Result.h"
#include "ctl/AdminRecords.h"

namespace recoveryd::ctl {

struct AuditOptions {
    std::optional<std::string> user;
    std::optional<std::string> since;  // as typed; see parse_since
    std::optional<std::uint32_t> limit;
    bool json = false;
    bool verify = false;  // check the chain instead of listing rows
};

// One line per row: time, id, action, outcome, then the fields that are
// set; names and the detail in quotes. "No audit rows." when there are none.
std::string format_audit_text(const std::vector<AuditRow>& rows);
std::string format_audit_json(const std::vector<AuditRow>& rows);

// "audit log intact: 1234 rows checked", or "audit log has been tampered
// with: row 17 was changed (17 rows checked)" and where the journal keeps
// its copy of that row.
std::string format_verification_text(const AuditVerification& verification);
// {"intact", "rows_checked", "first_bad_row", "problem"}: VerifyAudit's
// names; the last two are null when the log is intact.
std::string format_verification_json(const AuditVerification& verification);

// The filter to send, or InvalidArgument for a bad --since or --user.
Result<AuditFilter> make_audit_filter(const AuditOptions& options, std::uint64_t now);

// Exit status 0, or kExitTampered when --verify finds a bad row.
int run_audit(const AuditOptions& options);

}  // namespace recoveryd::ctl
