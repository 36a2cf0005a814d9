#pragma once
// A rewrite of a password hash in /etc/shadow never goes unaudited, even
// when recoveryd dies right after it. Before the rewrite, note_rotation
// stores its intent (a synced commit, like every other); the audit row of
// its success deletes the intent in the same transaction (AuditLog::record,
// `settles`). A crash between the rewrite and that row leaves the intent,
// and the next start settles it by what /etc/shadow then holds, and for a
// change it finds made does what would have followed it. An
// instance that stops on SIGTERM gives up its bus name before its last
// rewrite ends, so a new instance may start meanwhile: a rewrite holds
// Services::rotation_lock shared from its note to its row, and a start
// settles only when it can take that lock alone.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/Result.h"
#include "common/UniqueFd.h"
#include "daemon/Services.h"
#include "daemon/resets/PasswordReset.h"
#include "daemon/store/Store.h"

namespace recoveryd {

// A noted rewrite: `id` for the success row's `settles`; keep it until
// that row is written (or the intent dropped).
struct NotedRotation {
    std::int64_t id = 0;
    UniqueFd lock;
};

// What a start needs, besides the success row, to follow up a change it
// finds made (the PasswordReset's fields the row does not hold).
struct RotationFollowUp {
    std::string admin{};       // an administrator's reset: their name
    std::string request_id{};  // a recovery with an approval code: its request
};

// `success` is the audit row the caller will write when the rewrite worked
// (its outcome and detail are not kept); its action says the way:
// password.rotate a recovery, password.reset an administrator's. Nothing may
// be rewritten when this fails.
Result<NotedRotation> note_rotation(const Services& services, const AuditRecord& success, std::int64_t uid,
                                    std::string_view new_hash, RotationFollowUp follow_up = {});

// The rewrite failed and /etc/shadow did not change: the intent goes. Best
// effort: one left behind is settled at the next start all the same.
void drop_rotation(const Services& services, const NotedRotation& noted);

struct SettledRotations {
    std::size_t count = 0;
    // The changes found made. Each got what follows a reset
    // (ResetFollowUp.h), as at the time it was noted, but for the notify
    // hook: that is the caller's, once it serves (Announcer).
    std::vector<PasswordReset> made;
};

// At start, before serving: each intent left gets its audit row ("ok" when
// /etc/shadow holds the new hash, "error" when it does not) and goes; a
// change found made is followed up. Unavailable while another instance is
// between a note and its row (the intents stay for a later start).
Result<SettledRotations> settle_interrupted_rotations(Services& services);

}  // namespace recoveryd
