#pragma once
// A rewrite of a password hash in /etc/shadow never goes unaudited nor
// without what follows it, even when recoveryd dies right after it. Before
// the rewrite, note_rotation stores its intent (a synced commit, like every
// other); the audit row of its success marks the intent recorded in the
// same transaction (AuditLog::record, `settles`), and the owner's notice,
// the last of the follow-ups (ResetFollowUp.h), deletes it in its own. A
// crash between the rewrite and that row leaves the intent, and the next
// start settles it by what /etc/shadow then holds, and for a change it
// finds made does what would have followed it; a crash after the row
// leaves it recorded, and the next start does the follow-ups. An instance
// that stops on SIGTERM gives up its bus name before its last rewrite ends,
// so a new instance may start meanwhile: a rewrite holds
// Services::rotation_lock shared from its note to its follow-ups' end, and
// a start settles only when it can take that lock alone.

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

// A noted rewrite: `id` for the success row's `settles` and the
// follow-ups; keep it until they are done (or the intent dropped).
struct NotedRotation {
    std::int64_t id = 0;
    UniqueFd lock;
};

// What a start needs, besides the success row, to follow up a change it
// finds made (the PasswordReset's fields the row does not hold).
struct RotationFollowUp {
    std::string admin{};       // an administrator's reset: their name
    std::string request_id{};  // a recovery with an approval code: its request
    Secret replaced_hash{};    // replaced_hash_to_remember (PasswordHistory.h)
};

// `success` is the audit row the caller will write when the rewrite worked
// (its outcome and detail are not kept); its action says the way:
// password.rotate a recovery, password.reset an administrator's.
// `replaced_hash` is the hash the caller read and means to replace (kept as
// a keyed digest). Nothing may be rewritten when this fails.
Result<NotedRotation> note_rotation(const Services& services, const AuditRecord& success, std::int64_t uid,
                                    std::string_view new_hash, std::string_view replaced_hash,
                                    RotationFollowUp follow_up = {});

// The rewrite failed and /etc/shadow did not change: the intent goes. Best
// effort: one left behind is settled at the next start all the same.
void drop_rotation(const Services& services, const NotedRotation& noted);

struct SettledRotations {
    std::size_t count = 0;
    // The changes found made, recorded or not. Each got what follows a
    // reset (ResetFollowUp.h), as at the time it was noted, but for the
    // notify hook: that is the caller's, once it serves (Announcer).
    std::vector<PasswordReset> made;
    // Changes found neither made nor not made: /etc/shadow holds neither
    // the new hash nor the replaced one. Each left its owner's notice, and
    // the caller runs the notify hook as for `made`.
    std::vector<PasswordReset> maybe_made;
};

// At start, before serving: each intent left not recorded gets its audit
// row by what /etc/shadow holds: "ok" for the new hash; "error" for the
// replaced one, or for neither (changed since by something else), and then
// it goes. A change found made gets its replaced hash remembered (the
// writer does that before the row); one found made or recorded is followed
// up, which ends its intent. One found neither may have been made before
// the later change: its owner is told (notice, notify hook), since someone
// passed the identity check and reached the rewrite, but nothing a made
// change grants is done (no tally or failed checks cleared, no request
// completed). Unavailable while another instance is between a note and
// the end of its follow-ups (the intents stay for a later start).
Result<SettledRotations> settle_interrupted_rotations(Services& services);

}  // namespace recoveryd
