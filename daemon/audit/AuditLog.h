#pragma once
// Every decision, written twice: a chained row in the store (the record) and
// a structured journal entry (a second witness). Callers pass no secrets.

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
    // (the Store serializes the rows).
    Result<void> record(AuditRecord record);

private:
    Store& store_;
};

// The journal entry's fields ("NAME=value"), in order. The invoking user's
// fields (RECOVERYD_RUSER, _APP_UID, _LOGIN_UID) appear only when known.
std::vector<std::string> journal_fields(const AuditRecord& record);

}  // namespace recoveryd
