#pragma once
// Small helpers the Store's implementation files share. Internal to
// daemon/store.

#include <algorithm>
#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "common/Result.h"
#include "daemon/crypto/Digest.h"
#include "daemon/store/Database.h"

namespace recoveryd::store_support {

// secure_delete zeroes deleted rows in the database pages, but the WAL keeps
// older copies of those pages until a checkpoint; TRUNCATE also empties the
// WAL file. Best effort: a checkpoint that cannot finish now (another
// process reading) is retried by the next one, and the caller's change is
// already committed either way.
inline void checkpoint_wal(Database& db) {
    if (auto checkpoint = db.prepare("PRAGMA wal_checkpoint(TRUNCATE)"))
        (void)checkpoint->run();
}

inline std::span<const std::uint8_t> bytes(const Digest& digest) { return {digest.data(), digest.size()}; }

inline Digest to_digest(std::span<const std::uint8_t> blob) {
    Digest digest{};
    std::copy_n(blob.begin(), std::min(blob.size(), digest.size()), digest.begin());
    return digest;
}

// Runs a statement that may answer one integer row (RETURNING, count(*)).
inline Result<std::optional<std::int64_t>> single_int(Result<Statement> statement) {
    if (!statement)
        return statement.error();
    auto row = statement->step();
    if (!row)
        return row.error();
    std::optional<std::int64_t> value;
    if (*row)
        value = statement->column_int64(0);
    if (auto rest = statement->run(); !rest)
        return rest.error();
    return value;
}

// An integer PRAGMA's value (user_version, page_count, ...); -1 when it
// answers no row.
inline Result<std::int64_t> pragma_int(Database& db, const std::string& name) {
    auto value = single_int(db.prepare("PRAGMA " + name));
    if (!value)
        return value.error();
    return value->value_or(-1);
}

}  // namespace recoveryd::store_support
