#include "daemon/resets/RotationIntents.h"

#include "daemon/audit/AuditLog.h"
#include "daemon/crypto/SecretKey.h"
#include "daemon/shadow/ShadowFile.h"

namespace recoveryd {
namespace {

Digest hash_digest(const Services& services, std::string_view user, std::string_view hash) {
    return services.key.keyed_hash({"rotation-intent", user, hash});
}

// Whether /etc/shadow now holds the hash the intent was noted for.
Result<bool> was_written(const Services& services, const RotationIntent& intent) {
    const auto entry = services.shadow.find(intent.row.target_user);
    if (!entry)
        return entry.error().code == ErrorCode::NotFound ? Result<bool>(false) : Result<bool>(entry.error());
    return digests_equal(hash_digest(services, intent.row.target_user, entry->password_hash),
                         intent.new_hash_digest);
}

}  // namespace

Result<std::int64_t> note_rotation(const Services& services, const AuditRecord& success, std::int64_t uid,
                                   std::string_view new_hash) {
    RotationIntent intent{0, success, uid, hash_digest(services, success.target_user, new_hash)};
    intent.row.time = services.clock().wall_us / 1000000;
    return services.store.add_rotation_intent(intent);
}

void drop_rotation(const Services& services, std::int64_t id) {
    (void)services.store.remove_rotation_intent(id);
}

Result<std::size_t> settle_interrupted_rotations(const Services& services) {
    const auto intents = services.store.rotation_intents();
    if (!intents)
        return intents.error();
    for (const RotationIntent& intent : *intents) {
        const auto written = was_written(services, intent);
        if (!written)
            return written.error();
        AuditRecord row = intent.row;
        row.time = 0;  // now
        row.outcome = *written ? "ok" : "error";
        row.detail = *written ? "found in /etc/shadow at the next start: recoveryd stopped before it recorded "
                                "the change"
                              : "interrupted: recoveryd stopped before /etc/shadow held the new password";
        if (auto recorded = services.audit.record(std::move(row), intent.id); !recorded)
            return recorded.error();
    }
    return intents->size();
}

}  // namespace recoveryd
