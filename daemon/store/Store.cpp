#include "daemon/store/Store.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>

#include "common/UniqueFd.h"
#include "daemon/store/Migrations.h"

namespace recoveryd {
namespace {

constexpr std::string_view kRecoveryCodes = "recovery-codes";

// A new database file is created by us, 0600, so SQLite never creates it
// with the umask's mode; an existing one must not be readable by others.
Result<void> prepare_file(const std::filesystem::path& path) {
    UniqueFd fd(open(path.c_str(), O_RDONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600));
    if (!fd.valid())
        return make_error(ErrorCode::Io, path.string() + ": cannot open the database: " + std::strerror(errno));
    struct stat st {};
    if (fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode))
        return make_error(ErrorCode::Corrupt, path.string() + ": not a regular file");
    if ((st.st_mode & 077) != 0 || st.st_uid != geteuid())
        return make_error(ErrorCode::AccessDenied,
                          path.string() + ": the database must be owned by root with mode 0600 (chmod 600)");
    return {};
}

// Read-only check before anything writes: a damaged file stays as it is.
Result<void> check_integrity(Database& db) {
    auto statement = db.prepare("PRAGMA quick_check");
    Result<bool> row = statement ? statement->step() : Result<bool>(statement.error());
    if (!row || !*row || statement->column_text(0) != "ok")
        return make_error(ErrorCode::Corrupt,
                          db.path() + ": the database is damaged (" +
                              (row ? (*row ? statement->column_text(0) : "no answer") : row.error().message) +
                              "); restore it from a backup, or move it away to start empty "
                              "(every enrollment is then lost)");
    return {};
}

Result<void> apply_settings(Database& db) {
    // journal_mode answers with a row; the others run silently.
    auto wal = db.prepare("PRAGMA journal_mode = WAL");
    if (!wal)
        return wal.error();
    if (auto row = wal->step(); !row)
        return row.error();
    return db.exec("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA secure_delete = ON;");
}

std::span<const std::uint8_t> bytes(const Digest& digest) { return {digest.data(), digest.size()}; }

Digest to_digest(std::span<const std::uint8_t> blob) {
    Digest digest{};
    std::copy_n(blob.begin(), std::min(blob.size(), digest.size()), digest.begin());
    return digest;
}

}  // namespace

Result<Store> Store::open(const std::filesystem::path& path) {
    if (auto file = prepare_file(path); !file)
        return file.error();
    auto db = Database::open(path.string(), false);
    if (!db)
        return db.error();
    sqlite3_busy_timeout(db->handle(), 5000);
    if (auto integrity = check_integrity(*db); !integrity)
        return integrity.error();
    if (auto settings = apply_settings(*db); !settings)
        return settings.error();
    if (auto migrated = apply_migrations(*db); !migrated)
        return migrated.error();
    return Store(std::move(*db));
}

Result<void> Store::replace_recovery_codes(std::string_view user, const std::vector<Digest>& hashes,
                                           std::int64_t now) {
    auto transaction = Transaction::begin(db_);
    if (!transaction)
        return transaction.error();
    auto remove = db_.prepare("DELETE FROM enrolled_methods WHERE user = ?1 AND method = ?2");
    if (!remove)
        return remove.error();
    if (auto r = remove->bind(1, user).bind(2, kRecoveryCodes).run(); !r)
        return r;
    auto enroll = db_.prepare("INSERT INTO enrolled_methods (user, method, enrolled_at) VALUES (?1, ?2, ?3)");
    if (!enroll)
        return enroll.error();
    if (auto r = enroll->bind(1, user).bind(2, kRecoveryCodes).bind(3, now).run(); !r)
        return r;
    for (const Digest& hash : hashes) {
        auto insert = db_.prepare("INSERT INTO recovery_codes (user, code_hash) VALUES (?1, ?2)");
        if (!insert)
            return insert.error();
        if (auto r = insert->bind(1, user).bind(2, bytes(hash)).run(); !r)
            return r;
    }
    return transaction->commit();
}

Result<bool> Store::consume_recovery_code(std::string_view user, const Digest& hash) {
    auto transaction = Transaction::begin(db_);
    if (!transaction)
        return transaction.error();
    auto remove = db_.prepare("DELETE FROM recovery_codes WHERE user = ?1 AND code_hash = ?2");
    if (!remove)
        return remove.error();
    if (auto r = remove->bind(1, user).bind(2, bytes(hash)).run(); !r)
        return r.error();
    const bool consumed = sqlite3_changes(db_.handle()) == 1;
    if (auto r = transaction->commit(); !r)
        return r.error();
    return consumed;
}

Result<RecoveryCodeStatus> Store::recovery_code_status(std::string_view user) {
    RecoveryCodeStatus status;
    auto enrolled = db_.prepare("SELECT enrolled_at FROM enrolled_methods WHERE user = ?1 AND method = ?2");
    if (!enrolled)
        return enrolled.error();
    auto row = enrolled->bind(1, user).bind(2, kRecoveryCodes).step();
    if (!row)
        return row.error();
    if (!*row)
        return status;
    status.enrolled_at = enrolled->column_int64(0);
    auto count = db_.prepare("SELECT count(*) FROM recovery_codes WHERE user = ?1");
    if (!count)
        return count.error();
    if (auto counted = count->bind(1, user).step(); !counted)
        return counted.error();
    status.remaining = static_cast<std::uint32_t>(count->column_int64(0));
    return status;
}

Digest audit_row_hash(const Digest& prev_hash, const AuditRecord& r) {
    const std::string time = std::to_string(r.time);
    const std::string_view prev(reinterpret_cast<const char*>(prev_hash.data()), prev_hash.size());
    return hash_parts({"audit-row-v1", prev, time, r.actor, r.target_user, r.service, r.tty, r.rhost, r.action,
                       r.outcome, r.detail});
}

Result<void> Store::append_audit(const AuditRecord& record) {
    auto transaction = Transaction::begin(db_);
    if (!transaction)
        return transaction.error();
    auto last = db_.prepare("SELECT hash FROM audit ORDER BY id DESC LIMIT 1");
    if (!last)
        return last.error();
    auto row = last->step();
    if (!row)
        return row.error();
    const Digest prev = *row ? to_digest(last->column_blob(0)) : Digest{};
    const Digest hash = audit_row_hash(prev, record);
    auto insert = db_.prepare(
        "INSERT INTO audit (time, actor, target_user, service, tty, rhost, action, outcome, detail, prev_hash, hash)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)");
    if (!insert)
        return insert.error();
    insert->bind(1, record.time).bind(2, record.actor).bind(3, record.target_user).bind(4, record.service);
    insert->bind(5, record.tty).bind(6, record.rhost).bind(7, record.action).bind(8, record.outcome);
    insert->bind(9, record.detail).bind(10, bytes(prev)).bind(11, bytes(hash));
    if (auto r = insert->run(); !r)
        return r;
    return transaction->commit();
}

namespace {

Result<std::vector<AuditRow>> read_audit_rows(Database& db, std::string_view sql, std::int64_t limit) {
    auto select = db.prepare(sql);
    if (!select)
        return select.error();
    select->bind(1, limit);
    std::vector<AuditRow> rows;
    for (;;) {
        auto row = select->step();
        if (!row)
            return row.error();
        if (!*row)
            return rows;
        AuditRow out;
        out.id = select->column_int64(0);
        out.record = AuditRecord{select->column_int64(1), select->column_text(2), select->column_text(3),
                                 select->column_text(4),  select->column_text(5), select->column_text(6),
                                 select->column_text(7),  select->column_text(8), select->column_text(9)};
        out.prev_hash = to_digest(select->column_blob(10));
        out.hash = to_digest(select->column_blob(11));
        rows.push_back(std::move(out));
    }
}

constexpr std::string_view kAuditColumns =
    "id, time, actor, target_user, service, tty, rhost, action, outcome, detail, prev_hash, hash";

}  // namespace

Result<std::vector<AuditRow>> Store::list_audit(std::size_t limit) {
    const std::string sql = "SELECT * FROM (SELECT " + std::string(kAuditColumns) +
                            " FROM audit ORDER BY id DESC LIMIT ?1) ORDER BY id";
    return read_audit_rows(db_, sql, static_cast<std::int64_t>(limit));
}

Result<void> Store::verify_audit_chain() {
    const std::string sql = "SELECT " + std::string(kAuditColumns) + " FROM audit WHERE ?1 ORDER BY id";
    auto rows = read_audit_rows(db_, sql, 1);
    if (!rows)
        return rows.error();
    Digest prev{};
    for (const AuditRow& row : *rows) {
        if (!digests_equal(row.prev_hash, prev) || !digests_equal(row.hash, audit_row_hash(prev, row.record)))
            return make_error(ErrorCode::Corrupt, db_.path() + ": audit row " + std::to_string(row.id) +
                                                      " was changed, or a row before it was removed");
        prev = row.hash;
    }
    return {};
}

}  // namespace recoveryd
