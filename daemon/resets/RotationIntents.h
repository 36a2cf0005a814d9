#pragma once
// A rewrite of a password hash in /etc/shadow never goes unaudited, even
// when recoveryd dies right after it. Before the rewrite, note_rotation
// stores its intent (a synced commit, like every other); the audit row of
// its success deletes the intent in the same transaction (AuditLog::record,
// `settles`). A crash between the rewrite and that row leaves the intent,
// and the next start settles it by what /etc/shadow then holds.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "common/Result.h"
#include "daemon/Services.h"
#include "daemon/store/Store.h"

namespace recoveryd {

// `success` is the audit row the caller will write when the rewrite worked
// (its outcome and detail are not kept). Returns the intent's id, for that
// row's `settles`. Nothing may be rewritten when this fails.
Result<std::int64_t> note_rotation(const Services& services, const AuditRecord& success, std::int64_t uid,
                                   std::string_view new_hash);

// The rewrite failed and /etc/shadow did not change: the intent goes. Best
// effort: one left behind is settled at the next start all the same.
void drop_rotation(const Services& services, std::int64_t id);

// At start, before serving: each intent left gets its audit row ("ok" when
// /etc/shadow holds the new hash, "error" when it does not) and goes.
// Returns how many were settled.
Result<std::size_t> settle_interrupted_rotations(const Services& services);

}  // namespace recoveryd
