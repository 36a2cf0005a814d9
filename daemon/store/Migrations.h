#pragma once
// Brings a database's schema up to date from the compiled-in schema/NNN_*.sql
// files, one transaction each, counted in PRAGMA user_version.

#include "common/Result.h"
#include "daemon/store/Database.h"

namespace recoveryd {

// The number of migrations this build knows (the newest schema version).
int latest_schema_version();

// Whether apply_migrations has anything to write.
Result<bool> migrations_pending(Database& db);

Result<void> apply_migrations(Database& db);

}  // namespace recoveryd
