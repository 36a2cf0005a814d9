#pragma once
// `recoveryctl audit [--user U] [--since TIME] [--limit N] [--json]`: the
// audit log, oldest first (administrators).

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
};

// One line per row: time, id, action, outcome, then the fields that are
// set; names and the detail in quotes. "No audit rows." when there are none.
std::string format_audit_text(const std::vector<AuditRow>& rows);
std::string format_audit_json(const std::vector<AuditRow>& rows);

// The filter to send, or InvalidArgument for a bad --since or --user.
Result<AuditFilter> make_audit_filter(const AuditOptions& options, std::uint64_t now);

int run_audit(const AuditOptions& options);

}  // namespace recoveryd::ctl
