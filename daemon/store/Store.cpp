#include "daemon/store/Store.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <limits>
#include <optional>
#include <sys/stat.h>

#include "common/UniqueFd.h"
#include "daemon/store/CleanClose.h"
#include "daemon/store/Migrations.h"
#include "daemon/store/StoreSupport.h"

namespace recoveryd {

using namespace store_support;
namespace {

constexpr std::string_view kRecoveryCodes = "recovery-codes";

Error damaged(const Database& db, const std::string& why) {
    return make_error(ErrorCode::Corrupt, db.path() + ": the database is damaged (" + why +
                                         "); restore it from a backup, or move it away to start empty "
                                         "(every enrollment is then lost)");
}

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

// Reads every page: a damaged file is refused before anything writes to it.
Result<void> check_integrity(Database& db) {
    auto statement = db.prepare("PRAGMA quick_check");
    Result<bool> row = statement ? statement->step() : Result<bool>(statement.error());
    if (!row || !*row || statement->column_text(0) != "ok")
        return damaged(db, row ? (*row ? statement->column_text(0) : "no answer") : row.error().message);
    return {};
}

// The full check costs a read of the whole file (0.4 s for a million audit
// rows, more from a cold disk), and the daemon starts on a login's first
// call, so it runs only when the file gives a reason: it changed since a
// Store last closed it cleanly (CleanClose.h: something else wrote to it,
// or recoveryd stopped without closing), a WAL left with frames (the
// checkpoint after opening would write them into the file), a migration
// about to write, or a size that is not the page count the header names.
Result<bool> needs_full_check(Database& db, const std::filesystem::path& path, bool file_gives_reason) {
    if (file_gives_reason)
        return true;
    auto pending = migrations_pending(db);
    if (!pending)
        return pending.error();
    auto pages = pragma_int(db, "page_count");
    auto page_size = pages ? pragma_int(db, "page_size") : pages;
    if (!page_size)
        return page_size.error();
    std::error_code error;
    const auto size = std::filesystem::file_size(path, error);
    return *pending || error || static_cast<std::uintmax_t>(*pages * *page_size) != size;
}

Result<void> check_before_writing(Database& db, const std::filesystem::path& path, bool file_gives_reason) {
    if (auto schema = pragma_int(db, "schema_version"); !schema)
        return damaged(db, schema.error().message);
    auto full = needs_full_check(db, path, file_gives_reason);
    if (!full)
        return damaged(db, full.error().message);
    return *full ? check_integrity(db) : Result<void>{};
}

bool has_frames(const std::filesystem::path& wal) {
    std::error_code error;
    const auto size = std::filesystem::file_size(wal, error);
    return !error && size > 0;
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



std::uint32_t to_count(std::int64_t stored) {
    return static_cast<std::uint32_t>(std::clamp<std::int64_t>(stored, 0, std::numeric_limits<std::uint32_t>::max()));
}

std::uint32_t plus_one(std::uint32_t count) {
    return count == std::numeric_limits<std::uint32_t>::max() ? count : count + 1;
}

// Seconds from `since` to `now`; nullopt when the clock went back before `since`.
std::optional<std::int64_t> seconds_since(std::int64_t since, std::int64_t now) {
    if (now < since)
        return std::nullopt;
    std::int64_t elapsed = 0;
    if (__builtin_sub_overflow(now, since, &elapsed))
        return std::numeric_limits<std::int64_t>::max();
    return elapsed;
}

Result<void> require_uid(std::int64_t uid) {
    if (uid < 0)
        return make_error(ErrorCode::InvalidArgument, "a uid is needed (" + std::to_string(uid) + " is none)");
    return {};
}


}  // namespace

Result<Store> Store::open(const std::filesystem::path& path) {
    if (auto file = prepare_file(path); !file)
        return file.error();
    const bool changed = !unchanged_since_clean_close(path) || has_frames(path.string() + "-wal");
    auto db = Database::open(path.string(), false);
    if (!db)
        return db.error();
    sqlite3_busy_timeout(db->handle(), 5000);
    // Closing the last connection checkpoints the WAL into the file: not
    // into a file the checks refuse.
    sqlite3_db_config(db->handle(), SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, nullptr);
    if (auto checked = check_before_writing(*db, path, changed); !checked)
        return checked.error();
    sqlite3_db_config(db->handle(), SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 0, nullptr);
    if (auto settings = apply_settings(*db); !settings)
        return settings.error();
    if (auto migrated = apply_migrations(*db); !migrated)
        return migrated.error();
    checkpoint_wal(*db);  // a migration may have dropped secrets
    return Store(std::move(*db));
}

Result<bool> Store::has_history(const std::filesystem::path& path) {
    auto db = Database::open_immutable(path.string());
    if (!db)
        return db.error();
    auto table = single_int(db->prepare("SELECT count(*) FROM sqlite_schema WHERE name = 'audit'"));
    if (!table || table->value() == 0)
        return table ? Result<bool>(false) : Result<bool>(table.error());
    auto rows = single_int(db->prepare("SELECT EXISTS (SELECT 1 FROM audit)"));
    if (!rows)
        return rows.error();
    return rows->value() != 0;
}

Store::~Store() {
    if (db_.handle() == nullptr)
        return;  // moved from
    const std::filesystem::path path = db_.path();
    // Nothing to report to from here: without a record the next start reads
    // the whole file, which is the safe side.
    if (db_.close())
        (void)record_clean_close(path);
}

// ---- recovery codes ----

Result<std::int64_t> Store::replace_recovery_codes(std::string_view user, std::int64_t uid,
                                                   const std::vector<Digest>& hashes, std::int64_t now) {
    if (auto valid = require_uid(uid); !valid)
        return valid.error();
    std::lock_guard lock(*mutex_);
    auto transaction = Transaction::begin(db_);
    if (!transaction)
        return transaction.error();
    auto remove = db_.prepare("DELETE FROM enrollments WHERE user = ?1 AND method = ?2");
    if (!remove)
        return remove.error();
    if (auto r = remove->bind(1, user).bind(2, kRecoveryCodes).run(); !r)
        return r.error();
    auto enroll = db_.prepare(
        "INSERT INTO enrollments (user, uid, method, enrolled_at) VALUES (?1, ?2, ?3, ?4) RETURNING id");
    if (enroll)
        enroll->bind(1, user).bind(2, uid).bind(3, kRecoveryCodes).bind(4, now);
    auto id = single_int(std::move(enroll));
    if (!id)
        return id.error();
    for (const Digest& hash : hashes) {
        auto insert = db_.prepare("INSERT INTO recovery_codes (enrollment_id, code_hash) VALUES (?1, ?2)");
        if (!insert)
            return insert.error();
        if (auto r = insert->bind(1, id->value()).bind(2, bytes(hash)).run(); !r)
            return r.error();
    }
    if (auto r = transaction->commit(); !r)
        return r.error();
    checkpoint_wal(db_);
    return id->value();
}

Result<CodeCheck> Store::consume_recovery_code(const IdentityAttempt& attempt, std::int64_t uid, const Digest& hash) {
    CodeCheck check;
    auto verdict = counted_check(attempt, [&](std::int64_t) -> Result<bool> {
        if (auto used = consume_recovery_code_locked(attempt.user, uid, hash, check); !used)
            return used.error();
        return check.consumed;
    });
    if (!verdict)
        return verdict.error();
    check.attempt = *verdict;
    return check;
}

Result<void> Store::consume_recovery_code_locked(std::string_view user, std::int64_t uid, const Digest& hash,
                                                 CodeCheck& check) {
    // Both statements run for every input, also uid = -1 (which retires and
    // matches nothing), so the work done does not tell whether a name exists.
    auto retire = db_.prepare("DELETE FROM enrollments WHERE user = ?1 AND ?2 >= 0 AND uid <> ?2");
    if (!retire)
        return retire.error();
    if (auto r = retire->bind(1, user).bind(2, uid).run(); !r)
        return r.error();
    check.retired = static_cast<std::size_t>(db_.changes());
    auto consume = db_.prepare(
        "DELETE FROM recovery_codes WHERE code_hash = ?3 AND enrollment_id = "
        "(SELECT id FROM enrollments WHERE user = ?1 AND uid = ?2 AND method = ?4) RETURNING enrollment_id");
    if (consume)
        consume->bind(1, user).bind(2, uid).bind(3, bytes(hash)).bind(4, kRecoveryCodes);
    auto enrollment = single_int(std::move(consume));
    if (!enrollment)
        return enrollment.error();
    check.consumed = enrollment->has_value() && db_.changes() == 1;
    check.enrollment_id = check.consumed ? enrollment->value() : 0;
    return {};
}

Result<RecoveryCodeStatus> Store::recovery_code_status(std::string_view user, std::int64_t uid) {
    std::lock_guard lock(*mutex_);
    auto select = db_.prepare(
        "SELECT e.enrolled_at, (SELECT count(*) FROM recovery_codes c WHERE c.enrollment_id = e.id)"
        " FROM enrollments e WHERE e.user = ?1 AND e.uid = ?2 AND e.method = ?3");
    if (!select)
        return select.error();
    auto row = select->bind(1, user).bind(2, uid).bind(3, kRecoveryCodes).step();
    if (!row)
        return row.error();
    RecoveryCodeStatus status;
    if (*row) {
        status.enrolled_at = select->column_int64(0);
        status.remaining = to_count(select->column_int64(1));
    }
    return status;
}

Result<std::size_t> Store::forget_user(std::string_view user) {
    std::lock_guard lock(*mutex_);
    auto transaction = Transaction::begin(db_);
    if (!transaction)
        return transaction.error();
    auto remove = db_.prepare("DELETE FROM enrollments WHERE user = ?1");
    if (!remove)
        return remove.error();
    if (auto r = remove->bind(1, user).run(); !r)
        return r.error();
    const auto forgotten = static_cast<std::size_t>(db_.changes());
    // The password history goes too (uncounted: it is not an enrollment).
    auto history = db_.prepare("DELETE FROM password_history WHERE user = ?1");
    if (!history)
        return history.error();
    if (auto r = history->bind(1, user).run(); !r)
        return r.error();
    if (auto r = transaction->commit(); !r)
        return r.error();
    checkpoint_wal(db_);
    return forgotten;
}

// ---- password-check throttle ----

Result<PasswordCheckGate> Store::begin_password_check(
    std::int64_t uid, std::int64_t now, const std::function<std::int64_t(std::uint32_t failures)>& wait_after) {
    if (auto valid = require_uid(uid); !valid)
        return valid.error();
    std::lock_guard lock(*mutex_);
    auto transaction = Transaction::begin(db_);
    if (!transaction)
        return transaction.error();
    auto select = db_.prepare("SELECT failures, last_failure FROM password_checks WHERE uid = ?1");
    if (!select)
        return select.error();
    auto row = select->bind(1, uid).step();
    if (!row)
        return row.error();
    const std::uint32_t failures = *row ? to_count(select->column_int64(0)) : 0;
    const std::int64_t last_failure = *row ? select->column_int64(1) : 0;

    PasswordCheckGate gate;
    if (failures > 0) {
        const std::int64_t wait = std::max<std::int64_t>(0, wait_after(failures));
        const auto elapsed = seconds_since(last_failure, now);
        if (elapsed && *elapsed < wait) {
            gate.retry_after = wait - *elapsed;
            gate.failures = failures;
            return gate;  // denied: the transaction rolls back, nothing changed
        }
    }
    // Recorded as failed before the caller checks: a crash or a parallel
    // call cannot skip the count.
    gate.allowed = true;
    gate.failures = plus_one(failures);
    auto record = db_.prepare(
        "INSERT INTO password_checks (uid, failures, last_failure) VALUES (?1, ?2, ?3)"
        " ON CONFLICT (uid) DO UPDATE SET failures = excluded.failures, last_failure = excluded.last_failure");
    if (!record)
        return record.error();
    if (auto r = record->bind(1, uid).bind(2, std::int64_t{gate.failures}).bind(3, now).run(); !r)
        return r.error();
    if (auto r = transaction->commit(); !r)
        return r.error();
    return gate;
}

Result<void> Store::password_check_succeeded(std::int64_t uid) {
    std::lock_guard lock(*mutex_);
    auto remove = db_.prepare("DELETE FROM password_checks WHERE uid = ?1");
    if (!remove)
        return remove.error();
    return remove->bind(1, uid).run();
}

Result<DenialWindow> Store::note_denial(std::int64_t uid, std::int64_t now, std::int64_t window_seconds) {
    if (auto valid = require_uid(uid); !valid)
        return valid.error();
    std::lock_guard lock(*mutex_);
    auto transaction = Transaction::begin(db_);
    if (!transaction)
        return transaction.error();
    auto select = db_.prepare("SELECT window_start, coalesced FROM denial_windows WHERE uid = ?1");
    if (!select)
        return select.error();
    auto row = select->bind(1, uid).step();
    if (!row)
        return row.error();
    const std::int64_t start = *row ? select->column_int64(0) : 0;
    const std::uint32_t coalesced = *row ? to_count(select->column_int64(1)) : 0;
    // A clock moved back (no elapsed time) starts a new window rather than
    // stretching this one.
    const auto elapsed = seconds_since(start, now);
    const bool in_window = *row && elapsed && *elapsed < window_seconds;

    DenialWindow window;
    Result<Statement> write = in_window
        ? db_.prepare("UPDATE denial_windows SET coalesced = ?2 WHERE uid = ?1")
        : db_.prepare("INSERT INTO denial_windows (uid, window_start, coalesced) VALUES (?1, ?3, 0)"
                      " ON CONFLICT (uid) DO UPDATE SET window_start = excluded.window_start, coalesced = 0");
    if (!write)
        return write.error();
    if (in_window)
        write->bind(1, uid).bind(2, std::int64_t{plus_one(coalesced)});
    else
        write->bind(1, uid).bind(3, now);
    if (auto r = write->run(); !r)
        return r.error();
    if (!in_window) {
        window.write_row = true;
        window.coalesced = coalesced;
        window.since = *row ? start : 0;
    }
    if (auto r = transaction->commit(); !r)
        return r.error();
    return window;
}

}  // namespace recoveryd
