#pragma once
// Every decision, written twice: a chained row in the store (the record) and
// a structured journal entry (a second witness, holding each row's id and
// hash). Where no journal is reachable, a line on stderr instead. Callers
// pass no secrets.

#include <string>
#include <vector>

#include "common/Result.h"
#include "daemon/store/Store.h"

namespace recoveryd {

class AuditLog {
public:
    explicit AuditLog(Store& store) : store_(store) {}

    // Fails closed: when the row cannot be written the caller must refuse
    // the action it was about to take. Safe to call from several threads
    // (the Store serializes the rows). `settles`: the rotation intent this
    // row records the outcome of, marked recorded with an "ok" row, deleted
    // with any other (RotationIntents.h).
    Result<void> record(AuditRecord record, std::int64_t settles = 0);

private:
    Store& store_;
};

// The journal entry's fields ("NAME=value"), in order: MESSAGE, MESSAGE_ID
// (when the catalog has the action), PRIORITY, SYSLOG_IDENTIFIER, the
// RECOVERYD_* fields of the record, and the anchor as RECOVERYD_AUDIT_ROW
// and RECOVERYD_AUDIT_HASH (hex). The invoking user's fields
// (RECOVERYD_RUSER, _APP_UID, _LOGIN_UID) appear only when known.
std::vector<std::string> journal_fields(const AuditRecord& record, const AuditAnchor& anchor);

// The stderr line for when no journal is reachable: "recoveryd: audit: "
// and the same facts, every text quoted (common/UntrustedText.h) so that a
// typed name cannot end it or start a line of its own. Ends with "\n".
std::string fallback_line(const AuditRecord& record, const AuditAnchor& anchor);

}  // namespace recoveryd
