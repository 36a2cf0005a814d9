#pragma once
// Every decision, written twice: a chained row in the store (the record) and
// a structured journal entry (a second witness). Callers pass no secrets.

#include "common/Result.h"
#include "daemon/store/Store.h"

namespace recoveryd {

class AuditLog {
public:
    explicit AuditLog(Store& store) : store_(store) {}

    // Fails closed: when the row cannot be written the caller must refuse
    // the action it was about to take.
    Result<void> record(AuditRecord record);

private:
    Store& store_;
};

}  // namespace recoveryd
