#pragma once
// The history rule's data: an account's recent passwords are the hash in
// /etc/shadow now and the hashes recoveryd replaced before it, kept in the
// store (Store::password_history) and pruned to the policy's RememberLast.
// "The last N passwords" are the current one and the N-1 before it. Runs
// where rotations run (a worker): never on the event loop.

#include <cstdint>
#include <string_view>
#include <vector>

#include "common/Result.h"
#include "common/Secret.h"
#include "daemon/policy/Policy.h"
#include "daemon/store/Store.h"

namespace recoveryd {

// What PasswordOwner::recent_hashes takes: `current_hash` first, then the
// newest remembered ones, RememberLast in all (none when it is 0).
Result<std::vector<Secret>> recent_password_hashes(Store& store, const PasswordPolicy& policy, std::string_view user,
                                                   std::int64_t uid, std::string_view current_hash);

// After a rotation: remembers the hash it replaced and forgets those beyond
// RememberLast - 1 (the new password is the Nth). A hash that no password
// matches (locked "!...", disabled "*", empty) is not kept, and changes
// nothing.
Result<void> remember_replaced_password(Store& store, const PasswordPolicy& policy, std::string_view user,
                                        std::int64_t uid, std::string_view replaced_hash, std::int64_t now);

// The replaced hash a rotation intent keeps for remember_replaced_password
// (RotationIntents.h): empty when the history would not keep it.
Secret replaced_hash_to_remember(const PasswordPolicy& policy, std::string_view replaced_hash);

}  // namespace recoveryd
