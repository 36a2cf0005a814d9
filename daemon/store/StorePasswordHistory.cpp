// The Store's part for password history (schema/005_password_history.sql).
// Every method holds the store's mutex for its whole transaction, like the
// rest of the Store.

#include <algorithm>
#include <limits>
#include <string>

#include "daemon/store/Store.h"
#include "daemon/store/StoreSupport.h"

namespace recoveryd {

using namespace store_support;

namespace {

std::int64_t as_limit(std::size_t count) {
    return static_cast<std::int64_t>(std::min<std::size_t>(count, std::numeric_limits<std::int64_t>::max()));
}

}  // namespace

Result<std::vector<Secret>> Store::password_history(std::string_view user, std::int64_t uid, std::size_t limit) {
    std::lock_guard lock(*mutex_);
    auto select = db_.prepare(
        "SELECT hash FROM password_history WHERE user = ?1 AND uid = ?2 ORDER BY id DESC LIMIT ?3");
    if (!select)
        return select.error();
    select->bind(1, user).bind(2, uid).bind(3, as_limit(limit));
    std::vector<Secret> hashes;
    for (;;) {
        auto row = select->step();
        if (!row)
            return row.error();
        if (!*row)
            return hashes;
        // Read as bytes straight into a Secret: no std::string copy to wipe.
        const auto text = select->column_blob(0);
        hashes.emplace_back(std::string_view(reinterpret_cast<const char*>(text.data()), text.size()));
    }
}

Result<void> Store::add_password_history(std::string_view user, std::int64_t uid, std::string_view replaced_hash,
                                         std::int64_t now, std::size_t keep) {
    if (uid < 0)
        return make_error(ErrorCode::InvalidArgument, "a uid is needed (" + std::to_string(uid) + " is none)");
    std::lock_guard lock(*mutex_);
    auto transaction = Transaction::begin(db_);
    if (!transaction)
        return transaction.error();
    auto retire = db_.prepare("DELETE FROM password_history WHERE user = ?1 AND uid <> ?2");
    if (!retire)
        return retire.error();
    if (auto r = retire->bind(1, user).bind(2, uid).run(); !r)
        return r;
    if (keep > 0) {
        auto insert = db_.prepare(
            "INSERT INTO password_history (user, uid, hash, replaced_at) SELECT ?1, ?2, ?3, ?4 WHERE ?3 IS NOT"
            " (SELECT hash FROM password_history WHERE user = ?1 AND uid = ?2 ORDER BY id DESC LIMIT 1)");
        if (!insert)
            return insert.error();
        if (auto r = insert->bind(1, user).bind(2, uid).bind(3, replaced_hash).bind(4, now).run(); !r)
            return r;
    }
    auto prune = db_.prepare(
        "DELETE FROM password_history WHERE user = ?1 AND uid = ?2 AND id NOT IN"
        " (SELECT id FROM password_history WHERE user = ?1 AND uid = ?2 ORDER BY id DESC LIMIT ?3)");
    if (!prune)
        return prune.error();
    if (auto r = prune->bind(1, user).bind(2, uid).bind(3, as_limit(keep)).run(); !r)
        return r;
    if (auto r = transaction->commit(); !r)
        return r;
    checkpoint_wal(db_);  // pruned hashes leave the WAL too
    return {};
}

}  // namespace recoveryd
