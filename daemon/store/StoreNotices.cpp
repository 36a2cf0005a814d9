// The Store's part for owner notices (schema/006_owner_notices.sql). Every
// method holds the store's mutex for its whole transaction, like the rest of
// the Store.

#include <algorithm>

#include "daemon/store/Store.h"
#include "daemon/store/StoreSupport.h"

namespace recoveryd {

using namespace store_support;

namespace {

constexpr std::string_view kAdministrator = "administrator";
constexpr std::string_view kRecovery = "recovery";

std::string_view way_text(ResetWay way) { return way == ResetWay::Administrator ? kAdministrator : kRecovery; }

// Columns: id, user, uid, reset_at, way, admin, service, tty, rhost.
OwnerNotice read_notice(const Statement& row) {
    OwnerNotice notice;
    notice.user = row.column_text(1);
    notice.uid = row.column_int64(2);
    notice.reset_at = row.column_int64(3);
    notice.way = row.column_text(4) == kAdministrator ? ResetWay::Administrator : ResetWay::Recovery;
    notice.admin = row.column_text(5);
    notice.service = row.column_text(6);
    notice.tty = row.column_text(7);
    notice.rhost = row.column_text(8);
    return notice;
}

}  // namespace

Result<void> Store::add_owner_notice(const OwnerNotice& notice, std::int64_t settles) {
    if (notice.uid < 0)
        return make_error(ErrorCode::InvalidArgument, "a notice needs the account's uid");
    std::lock_guard lock(*mutex_);
    auto transaction = Transaction::begin(db_);
    if (!transaction)
        return transaction.error();
    if (settles != 0) {
        auto settled = remove_rotation_intent_locked(settles);
        if (!settled)
            return settled.error();
        if (!*settled)
            return make_error(ErrorCode::Internal, "rotation intent " + std::to_string(settles) + " does not exist");
    }
    auto insert = db_.prepare(
        "INSERT INTO owner_notices (user, uid, reset_at, way, admin, service, tty, rhost)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
    if (!insert)
        return insert.error();
    insert->bind(1, notice.user).bind(2, notice.uid).bind(3, notice.reset_at).bind(4, way_text(notice.way));
    insert->bind(5, notice.admin).bind(6, notice.service).bind(7, notice.tty).bind(8, notice.rhost);
    if (auto r = insert->run(); !r)
        return r;
    // Many resets before the owner's next login: the newest few say enough.
    auto prune = db_.prepare(
        "DELETE FROM owner_notices WHERE uid = ?1 AND id NOT IN"
        " (SELECT id FROM owner_notices WHERE uid = ?1 ORDER BY id DESC LIMIT ?2)");
    if (!prune)
        return prune.error();
    if (auto r = prune->bind(1, notice.uid).bind(2, static_cast<std::int64_t>(kMaxOwnerNotices)).run(); !r)
        return r;
    if (auto r = transaction->commit(); !r)
        return r;
    if (settles != 0)
        checkpoint_wal(db_);  // the intent's replaced hash leaves the WAL too
    return {};
}

Result<NoticeTake> Store::take_owner_notices(std::string_view user, std::int64_t uid) {
    NoticeTake take;
    if (uid < 0)
        return take;
    std::lock_guard lock(*mutex_);
    auto transaction = Transaction::begin(db_);
    if (!transaction)
        return transaction.error();
    // Read and deleted in one statement of one transaction: two logins at
    // once cannot both get a notice.
    auto taken = db_.prepare(
        "DELETE FROM owner_notices WHERE user = ?1 AND uid = ?2"
        " RETURNING id, user, uid, reset_at, way, admin, service, tty, rhost");
    if (!taken)
        return taken.error();
    taken->bind(1, user).bind(2, uid);
    std::vector<std::pair<std::int64_t, OwnerNotice>> rows;
    for (;;) {
        auto row = taken->step();
        if (!row)
            return row.error();
        if (!*row)
            break;
        rows.emplace_back(taken->column_int64(0), read_notice(*taken));
    }
    // RETURNING promises no order.
    std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    for (auto& row : rows)
        take.notices.push_back(std::move(row.second));

    // The name or the uid now belongs to another account than these notices'.
    auto former = db_.prepare("DELETE FROM owner_notices WHERE (user = ?1) <> (uid = ?2)");
    if (!former)
        return former.error();
    if (auto r = former->bind(1, user).bind(2, uid).run(); !r)
        return r.error();
    take.discarded = static_cast<std::size_t>(db_.changes());
    if (auto r = transaction->commit(); !r)
        return r.error();
    return take;
}

Result<bool> Store::has_owner_notices(std::int64_t uid) {
    std::lock_guard lock(*mutex_);
    auto select = db_.prepare("SELECT EXISTS (SELECT 1 FROM owner_notices WHERE uid = ?1)");
    if (select)
        select->bind(1, uid);
    auto found = single_int(std::move(select));
    if (!found)
        return found.error();
    return found->value_or(0) != 0;
}

Result<std::vector<std::int64_t>> Store::owner_notice_uids() {
    std::lock_guard lock(*mutex_);
    auto select = db_.prepare("SELECT DISTINCT uid FROM owner_notices ORDER BY uid");
    if (!select)
        return select.error();
    std::vector<std::int64_t> uids;
    for (;;) {
        auto row = select->step();
        if (!row)
            return row.error();
        if (!*row)
            return uids;
        uids.push_back(select->column_int64(0));
    }
}

}  // namespace recoveryd
