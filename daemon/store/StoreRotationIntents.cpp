// The Store's part for rotation intents (schema/007_rotation_intents.sql,
// 008_rotation_intent_follow_ups.sql, 009_rotation_intent_recorded.sql,
// 011_rotation_intent_replaced_digest.sql).
// Every method holds the store's mutex for its whole transaction, like the
// rest of the Store.

#include "daemon/store/Store.h"
#include "daemon/store/StoreSupport.h"

namespace recoveryd {

using namespace store_support;

namespace {

// Runs `sql` on the intent `id` (?1); whether it changed that one row.
Result<bool> change_one_intent(Database& db, const char* sql, std::int64_t id) {
    auto statement = db.prepare(sql);
    if (!statement)
        return statement.error();
    if (auto r = statement->bind(1, id).run(); !r)
        return r.error();
    return db.changes() == 1;
}

}  // namespace

Result<std::int64_t> Store::add_rotation_intent(const RotationIntent& intent) {
    const AuditRecord& row = intent.row;
    std::lock_guard lock(*mutex_);
    auto insert = db_.prepare(
        "INSERT INTO rotation_intents (noted_at, action, actor, target_user, uid, new_hash_digest, service, tty,"
        " rhost, ruser, app_uid, login_uid, admin, request_id, replaced_hash, replaced_hash_digest)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16) RETURNING id");
    if (insert) {
        insert->bind(1, row.time).bind(2, row.action).bind(3, row.actor).bind(4, row.target_user);
        insert->bind(5, intent.uid).bind(6, bytes(intent.new_hash_digest)).bind(7, row.service).bind(8, row.tty);
        insert->bind(9, row.rhost).bind(10, row.ruser).bind(11, row.app_uid).bind(12, row.login_uid);
        insert->bind(13, intent.admin).bind(14, intent.request_id).bind(15, intent.replaced_hash.view());
        insert->bind(16, intent.replaced_hash_digest ? bytes(*intent.replaced_hash_digest)
                                                     : std::span<const std::uint8_t>());
    }
    auto id = single_int(std::move(insert));
    if (!id)
        return id.error();
    if (!id->has_value())
        return make_error(ErrorCode::Internal, db_.path() + ": the rotation intent got no id");
    return id->value();
}

Result<void> Store::remove_rotation_intent(std::int64_t id) {
    std::lock_guard lock(*mutex_);
    auto removed = remove_rotation_intent_locked(id);
    if (!removed)
        return removed.error();
    checkpoint_wal(db_);  // its replaced hash leaves the WAL too
    return {};
}

Result<bool> Store::remove_rotation_intent_locked(std::int64_t id) {
    return change_one_intent(db_, "DELETE FROM rotation_intents WHERE id = ?1", id);
}

Result<bool> Store::mark_rotation_recorded_locked(std::int64_t id) {
    return change_one_intent(db_, "UPDATE rotation_intents SET recorded = 1 WHERE id = ?1 AND recorded = 0", id);
}

Result<std::vector<RotationIntent>> Store::rotation_intents() {
    std::lock_guard lock(*mutex_);
    auto select = db_.prepare(
        "SELECT id, noted_at, action, actor, target_user, uid, new_hash_digest, service, tty, rhost, ruser,"
        " app_uid, login_uid, admin, request_id, recorded, replaced_hash, replaced_hash_digest"
        " FROM rotation_intents ORDER BY id");
    if (!select)
        return select.error();
    std::vector<RotationIntent> intents;
    for (;;) {
        auto row = select->step();
        if (!row)
            return row.error();
        if (!*row)
            return intents;
        RotationIntent intent;
        intent.id = select->column_int64(0);
        intent.row.time = select->column_int64(1);
        intent.row.action = select->column_text(2);
        intent.row.actor = select->column_text(3);
        intent.row.target_user = select->column_text(4);
        intent.uid = select->column_int64(5);
        intent.new_hash_digest = to_digest(select->column_blob(6));
        intent.row.service = select->column_text(7);
        intent.row.tty = select->column_text(8);
        intent.row.rhost = select->column_text(9);
        intent.row.ruser = select->column_text(10);
        intent.row.app_uid = select->column_int64(11);
        intent.row.login_uid = select->column_int64(12);
        intent.admin = select->column_text(13);
        intent.request_id = select->column_text(14);
        intent.recorded = select->column_int64(15) != 0;
        intent.replaced_hash = Secret(select->column_view(16));  // no std::string copy to wipe
        if (const auto digest = select->column_blob(17); !digest.empty())
            intent.replaced_hash_digest = to_digest(digest);
        intents.push_back(std::move(intent));
    }
}

}  // namespace recoveryd
