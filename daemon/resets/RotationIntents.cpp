#include "daemon/resets/RotationIntents.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/file.h>

#include "daemon/audit/AuditLog.h"
#include "daemon/crypto/SecretKey.h"
#include "daemon/password/PasswordHistory.h"
#include "daemon/policy/CurrentPolicy.h"
#include "daemon/resets/ResetFollowUp.h"
#include "daemon/shadow/ShadowFile.h"

namespace recoveryd {
namespace {

Digest hash_digest(const Services& services, std::string_view user, std::string_view hash) {
    return services.key.keyed_hash({"rotation-intent", user, hash});
}

// What /etc/shadow now holds for the intent's account.
enum class Found {
    NewHash,       // the change was made
    ReplacedHash,  // it was not (or the intent predates schema 011 and the file holds anything else)
    Neither,       // changed since by something else, or the account is gone
};

Result<Found> what_shadow_holds(const Services& services, const RotationIntent& intent) {
    const auto entry = services.shadow.find(intent.row.target_user);
    if (!entry && entry.error().code != ErrorCode::NotFound)
        return entry.error();
    const auto digest = entry ? hash_digest(services, intent.row.target_user, entry->password_hash) : Digest{};
    if (entry && digests_equal(digest, intent.new_hash_digest))
        return Found::NewHash;
    if (!intent.replaced_hash_digest || (entry && digests_equal(digest, *intent.replaced_hash_digest)))
        return Found::ReplacedHash;
    return Found::Neither;
}

// LOCK_SH or LOCK_EX, LOCK_NB allowed.
Result<UniqueFd> take_lock(const Services& services, int operation) {
    const auto& path = services.rotation_lock;
    UniqueFd fd(::open(path.c_str(), O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600));
    if (!fd.valid())
        return make_error(ErrorCode::Io, path.string() + ": cannot open: " + std::strerror(errno));
    int r;
    while ((r = ::flock(fd.get(), operation)) != 0 && errno == EINTR) {
    }
    if (r == 0)
        return fd;
    const int error = errno;
    if (error == EWOULDBLOCK)
        return make_error(ErrorCode::Unavailable, path.string() + ": another recoveryd is changing a password");
    return make_error(ErrorCode::Io, path.string() + ": cannot lock: " + std::strerror(error));
}

// The reset an intent was noted for, as its writer would have followed it up.
PasswordReset reset_of(const RotationIntent& intent) {
    const AuditRecord& row = intent.row;
    return PasswordReset{row.target_user,
                         intent.uid,
                         row.time,
                         row.action == "password.reset" ? ResetWay::Administrator : ResetWay::Recovery,
                         row.actor,
                         intent.admin,
                         row.service,
                         row.tty,
                         row.rhost,
                         row.ruser,
                         intent.request_id};
}

// A row of the start's about the intent: its login or administrator, now.
AuditRecord row_about(const RotationIntent& intent, std::string action, const char* outcome, std::string detail) {
    AuditRecord row = intent.row;
    row.time = 0;  // now
    row.action = std::move(action);
    row.outcome = outcome;
    row.detail = std::move(detail);
    return row;
}

// Rows of the start's about what follows the intent's change: each says
// who did it.
ResetAudit audit_for(Services& services, const RotationIntent& intent) {
    return [&services, &intent](const char* action, const char* outcome, std::string detail) {
        detail += detail.empty() ? "" : "; ";
        detail += "done by the next start of recoveryd";
        return services.audit.record(row_about(intent, action, outcome, std::move(detail)));
    };
}

// What the writer of a change found made would have done after its row.
void follow_up(Services& services, const RotationIntent& intent, const PasswordReset& reset) {
    follow_up_reset(reset, services, intent.id, audit_for(services, intent));
}

// The writer remembers the replaced hash between the rewrite and the row;
// a failure is audited, and the change stands.
void remember_replaced(Services& services, const RotationIntent& intent) {
    if (intent.replaced_hash.empty())
        return;
    const auto policy = services.policy.get();
    if (auto kept = remember_replaced_password(services.store, policy->password, intent.row.target_user, intent.uid,
                                               intent.replaced_hash.view(), intent.row.time);
        !kept)
        (void)services.audit.record(row_about(intent, "password.history", "error", kept.error().message));
}

// Audits an intent not recorded by what /etc/shadow holds: an "ok" row
// marks it recorded, an "error" row deletes it.
Result<Found> record_outcome(Services& services, const RotationIntent& intent) {
    const auto found = what_shadow_holds(services, intent);
    if (!found)
        return found.error();
    if (*found == Found::NewHash)
        remember_replaced(services, intent);
    const char* detail =
        *found == Found::NewHash
            ? "found in /etc/shadow at the next start: recoveryd stopped before it recorded the change"
        : *found == Found::ReplacedHash
            ? "interrupted: recoveryd stopped before /etc/shadow held the new password"
            : "unknown: at the next start /etc/shadow held neither the new password nor the one it replaced "
              "(changed since by something else, or the account is gone); the owner is told, as it may have been "
              "made";
    const AuditRecord row = row_about(intent, intent.row.action, *found == Found::NewHash ? "ok" : "error", detail);
    if (auto recorded = services.audit.record(row, intent.id); !recorded)
        return recorded.error();
    return *found;
}

// The owner's notice of a change that may have been made; the intent is
// gone with its row already.
void tell_owner(Services& services, const RotationIntent& intent, const PasswordReset& reset) {
    OwnerNotices notices(services.store, services.notice_markers);
    leave_notice(reset, notices, 0, audit_for(services, intent));
}

}  // namespace

Result<NotedRotation> note_rotation(const Services& services, const AuditRecord& success, std::int64_t uid,
                                    std::string_view new_hash, std::string_view replaced_hash,
                                    RotationFollowUp follow_up) {
    auto lock = take_lock(services, LOCK_SH);
    if (!lock)
        return lock.error();
    RotationIntent intent{0,
                          success,
                          uid,
                          hash_digest(services, success.target_user, new_hash),
                          std::move(follow_up.admin),
                          std::move(follow_up.request_id),
                          false,
                          std::move(follow_up.replaced_hash),
                          hash_digest(services, success.target_user, replaced_hash)};
    intent.row.time = services.clock().wall_us / 1000000;
    auto id = services.store.add_rotation_intent(intent);
    if (!id)
        return id.error();
    return NotedRotation{*id, std::move(*lock)};
}

void drop_rotation(const Services& services, const NotedRotation& noted) {
    (void)services.store.remove_rotation_intent(noted.id);
}

Result<SettledRotations> settle_interrupted_rotations(Services& services) {
    const auto alone = take_lock(services, LOCK_EX | LOCK_NB);
    if (!alone)
        return alone.error();
    const auto intents = services.store.rotation_intents();
    if (!intents)
        return intents.error();
    SettledRotations settled;
    for (const RotationIntent& intent : *intents) {
        const auto found = intent.recorded ? Result<Found>(Found::NewHash) : record_outcome(services, intent);
        if (!found)
            return found.error();
        ++settled.count;
        if (*found == Found::NewHash) {
            settled.made.push_back(reset_of(intent));
            follow_up(services, intent, settled.made.back());
        } else if (*found == Found::Neither) {
            settled.maybe_made.push_back(reset_of(intent));
            tell_owner(services, intent, settled.maybe_made.back());
        }
    }
    return settled;
}

}  // namespace recoveryd
