// The audit log's half of the Store: appending chained rows, listing them,
// and walking the chain to find the first row that does not belong.
#include "daemon/store/Store.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstring>
#include <future>
#include <limits>
#include <span>
#include <vector>

#include "daemon/store/StoreSupport.h"

namespace recoveryd {

using namespace store_support;
namespace {

constexpr std::string_view kAuditColumns =
    "id, time, actor, target_user, service, tty, rhost, action, outcome, detail, ruser, app_uid, login_uid, format,"
    " prev_hash, hash";

// The fields a row's hash covers, as views: the walk hashes them where its
// batch holds them, without a string per field.
struct CoveredFields {
    std::int64_t time = 0;
    std::string_view actor, target_user, service, tty, rhost, action, outcome, detail, ruser;
    std::int64_t app_uid = -1;
    std::int64_t login_uid = -1;
};

CoveredFields covered_fields(const AuditRecord& r) {
    return {r.time, r.actor, r.target_user, r.service, r.tty, r.rhost, r.action, r.outcome, r.detail, r.ruser,
            r.app_uid, r.login_uid};
}

// A number's decimal text in a buffer of its own.
class DecimalText {
public:
    explicit DecimalText(std::int64_t value)
        : length_(static_cast<std::size_t>(std::to_chars(text_, text_ + sizeof text_, value).ptr - text_)) {}
    std::string_view view() const { return {text_, length_}; }

private:
    char text_[24];  // an int64 needs at most 20
    std::size_t length_;
};

Digest hash_covered(const Digest& prev_hash, const CoveredFields& f, AuditFormat format) {
    const std::string_view prev(reinterpret_cast<const char*>(prev_hash.data()), prev_hash.size());
    const DecimalText time(f.time);
    if (format == AuditFormat::v1)
        return hash_parts({"audit-row-v1", prev, time.view(), f.actor, f.target_user, f.service, f.tty, f.rhost,
                           f.action, f.outcome, f.detail});
    const DecimalText app_uid(f.app_uid), login_uid(f.login_uid);
    return hash_parts({"audit-row-v2", prev, time.view(), f.actor, f.target_user, f.service, f.tty, f.rhost,
                       f.action, f.outcome, f.detail, f.ruser, app_uid.view(), login_uid.view()});
}

AuditRow read_audit_row(const Statement& select) {
    AuditRow out;
    out.id = select.column_int64(0);
    AuditRecord& r = out.record;
    r.time = select.column_int64(1);
    r.actor = select.column_text(2);
    r.target_user = select.column_text(3);
    r.service = select.column_text(4);
    r.tty = select.column_text(5);
    r.rhost = select.column_text(6);
    r.action = select.column_text(7);
    r.outcome = select.column_text(8);
    r.detail = select.column_text(9);
    r.ruser = select.column_text(10);
    r.app_uid = select.column_int64(11);
    r.login_uid = select.column_int64(12);
    out.format = static_cast<AuditFormat>(select.column_int64(13));
    out.prev_hash = to_digest(select.column_blob(14));
    out.hash = to_digest(select.column_blob(15));
    return out;
}

// One stored row as the walk sees it: views into a RowBatch.
struct StoredRow {
    std::int64_t id = 0;
    CoveredFields fields;
    std::int64_t format = 0;
    std::span<const std::uint8_t> prev_hash, hash;
};

// Rows copied out of SQLite, so that one thread reads the next batch while
// another hashes this one: on two cores a walk takes the longer of the two
// halves, not their sum. Reused from batch to batch: no allocation per row.
class RowBatch {
public:
    static constexpr std::size_t kMaxRows = 4096;
    static constexpr std::size_t kMaxBytes = 4 << 20;  // rows may be long: memory stays bounded

    void clear() {
        bytes_.clear();
        rows_.clear();
    }
    bool full() const { return rows_.size() >= kMaxRows || bytes_.size() >= kMaxBytes; }
    bool empty() const { return rows_.empty(); }
    std::size_t size() const { return rows_.size(); }

    // Copies the row the statement is on (the columns of kAuditColumns).
    void add(const Statement& select) {
        Copied row;
        row.id = select.column_int64(0);
        row.time = select.column_int64(1);
        row.app_uid = select.column_int64(11);
        row.login_uid = select.column_int64(12);
        row.format = select.column_int64(13);
        row.ends[0] = bytes_.size();
        for (std::size_t i = 0; i < kTextColumns.size(); ++i) {
            bytes_.append(select.column_view(kTextColumns[i]));
            row.ends[i + 1] = bytes_.size();
        }
        for (std::size_t i = 0; i < kBlobColumns.size(); ++i) {
            const auto blob = select.column_blob(kBlobColumns[i]);
            bytes_.append(reinterpret_cast<const char*>(blob.data()), blob.size());
            row.ends[kTextColumns.size() + i + 1] = bytes_.size();
        }
        rows_.push_back(row);
    }

    StoredRow operator[](std::size_t index) const {
        const Copied& copied = rows_[index];
        const auto text = [&](std::size_t i) {
            return std::string_view(bytes_).substr(copied.ends[i], copied.ends[i + 1] - copied.ends[i]);
        };
        const auto blob = [&](std::size_t i) {
            const std::string_view bytes = text(i);
            return std::span(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
        };
        return {copied.id,
                {copied.time, text(0), text(1), text(2), text(3), text(4), text(5), text(6), text(7), text(8),
                 copied.app_uid, copied.login_uid},
                copied.format,
                blob(9),
                blob(10)};
    }

private:
    // actor ... ruser, in CoveredFields' order; then prev_hash and hash.
    static constexpr std::array<int, 9> kTextColumns{2, 3, 4, 5, 6, 7, 8, 9, 10};
    static constexpr std::array<int, 2> kBlobColumns{14, 15};
    struct Copied {
        std::int64_t id, time, app_uid, login_uid, format;
        std::array<std::size_t, 12> ends;  // where each text and blob begins and ends in bytes_
    };
    std::string bytes_;
    std::vector<Copied> rows_;
};

// The chain is public (anyone with the file can recompute it): plain
// comparisons, no secret to keep from timing.
bool same_digest(std::span<const std::uint8_t> stored, const Digest& digest) {
    return stored.size() == digest.size() && std::memcmp(stored.data(), digest.data(), digest.size()) == 0;
}

// Whether the row's stored hash is the hash of its own contents and stored
// link. A v1 row's hash does not cover the fields added later: they must
// still hold their defaults, or someone filled them in unseen.
bool hash_matches_contents(const StoredRow& row) {
    if (row.prev_hash.size() != Digest{}.size())
        return false;
    Digest prev{};
    std::copy(row.prev_hash.begin(), row.prev_hash.end(), prev.begin());
    switch (row.format) {
    case static_cast<std::int64_t>(AuditFormat::v1):
        if (!row.fields.ruser.empty() || row.fields.app_uid != -1 || row.fields.login_uid != -1)
            return false;
        return same_digest(row.hash, hash_covered(prev, row.fields, AuditFormat::v1));
    case static_cast<std::int64_t>(AuditFormat::v2):
        return same_digest(row.hash, hash_covered(prev, row.fields, AuditFormat::v2));
    default:
        return false;  // no recoveryd writes another format into this schema
    }
}

std::string rows_missing(std::int64_t count) {
    return count == 1 ? "a row is missing" : std::to_string(count) + " rows are missing";
}

// Follows the chain one row at a time and says what is wrong with the
// first row that does not belong.
class ChainWalk {
public:
    // false: a row of the batch is the first bad one; result() says why.
    bool check(const RowBatch& batch) {
        for (std::size_t i = 0; i < batch.size(); ++i)
            if (!check(batch[i]))
                return false;
        return true;
    }
    // false: `row` is the first bad one.
    bool check(const StoredRow& row) {
        ++result_.rows_checked;
        if (auto problem = problem_with(row); !problem.empty()) {
            result_.intact = false;
            result_.first_bad_row = row.id;
            result_.problem = std::move(problem);
            return false;
        }
        last_id_ = row.id;
        std::copy(row.hash.begin(), row.hash.end(), last_hash_.begin());
        return true;
    }
    const AuditVerification& result() const { return result_; }

private:
    // Empty when the row belongs; the text is built only for a bad row.
    std::string problem_with(const StoredRow& row) const {
        if (!hash_matches_contents(row))
            return row_name(row.id) + " was changed";
        const std::int64_t step = row.id - last_id_;  // no overflow: last_id_ is never negative
        const bool linked = same_digest(row.prev_hash, last_hash_);
        if (linked && step == 1)
            return {};
        const std::string before = last_id_ == 0 ? "the start of the log" : row_name(last_id_);
        if (linked)
            return row_name(row.id) + " follows " + before + " in the chain: the rows were renumbered";
        if (step > 1)
            return row_name(row.id) + " does not follow " + before + ": " + rows_missing(step - 1);
        return row_name(row.id) + " is out of order or inserted: it does not follow " + before;
    }

    static std::string row_name(std::int64_t id) { return "row " + std::to_string(id); }

    std::int64_t last_id_ = 0;  // a row that passed (ids from 1 on), or 0 before the first; never negative
    Digest last_hash_{};
    AuditVerification result_;
};

}  // namespace

Digest audit_row_hash(const Digest& prev_hash, const AuditRecord& record, AuditFormat format) {
    return hash_covered(prev_hash, covered_fields(record), format);
}

Result<AuditAnchor> Store::append_audit(const AuditRecord& given) {
    AuditRecord record = given;
    // Any negative id means unknown; one spelling keeps the hash unambiguous.
    record.app_uid = std::max<std::int64_t>(record.app_uid, -1);
    record.login_uid = std::max<std::int64_t>(record.login_uid, -1);
    std::lock_guard lock(*mutex_);
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
    AuditAnchor anchor{0, audit_row_hash(prev, record, kCurrentAuditFormat)};
    auto insert = db_.prepare(
        "INSERT INTO audit (time, actor, target_user, service, tty, rhost, action, outcome, detail,"
        " ruser, app_uid, login_uid, format, prev_hash, hash)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15) RETURNING id");
    if (insert) {
        insert->bind(1, record.time).bind(2, record.actor).bind(3, record.target_user).bind(4, record.service);
        insert->bind(5, record.tty).bind(6, record.rhost).bind(7, record.action).bind(8, record.outcome);
        insert->bind(9, record.detail).bind(10, record.ruser).bind(11, record.app_uid).bind(12, record.login_uid);
        insert->bind(13, static_cast<std::int64_t>(kCurrentAuditFormat)).bind(14, bytes(prev));
        insert->bind(15, bytes(anchor.hash));
    }
    auto id = single_int(std::move(insert));
    if (!id)
        return id.error();
    if (!id->has_value())
        return make_error(ErrorCode::Internal, db_.path() + ": the audit row got no id");
    anchor.id = id->value();
    if (auto committed = transaction->commit(); !committed)
        return committed.error();
    return anchor;
}

Result<std::vector<AuditRow>> Store::list_audit(const AuditFilter& filter) {
    std::lock_guard lock(*mutex_);
    auto select = db_.prepare("SELECT * FROM (SELECT " + std::string(kAuditColumns) +
                              " FROM audit WHERE (?2 = '' OR target_user = ?2) AND time >= ?3"
                              " ORDER BY id DESC LIMIT ?1) ORDER BY id");
    if (!select)
        return select.error();
    const auto limit = std::min<std::size_t>(filter.limit, std::numeric_limits<std::int64_t>::max());
    select->bind(1, static_cast<std::int64_t>(limit)).bind(2, filter.user).bind(3, filter.since);
    std::vector<AuditRow> rows;
    for (;;) {
        auto row = select->step();
        if (!row)
            return row.error();
        if (!*row)
            return rows;
        rows.push_back(read_audit_row(*select));
    }
}

Result<AuditVerification> Store::verify_audit_chain() {
    // A connection of its own, without the store's mutex: one statement
    // reads one snapshot (WAL), however long the walk, while the daemon's
    // writers go on appending behind it.
    auto db = Database::open_for_one_thread(db_.path());
    if (!db)
        return db.error();
    sqlite3_busy_timeout(db->handle(), 5000);
    if (auto read_only = db->exec("PRAGMA query_only = ON"); !read_only)
        return read_only.error();
    auto select = db->prepare("SELECT " + std::string(kAuditColumns) + " FROM audit ORDER BY id");
    if (!select)
        return select.error();
    // This thread reads batches; each is checked on another while the next
    // is read (inline, when no thread can be had). Rows stay in order.
    ChainWalk walk;
    std::array<RowBatch, 2> batches;
    std::future<bool> checking;  // of the batch not being filled
    bool read_all = false;           // (stepping on would start the query again)
    for (std::size_t filling = 0;; filling ^= 1) {
        RowBatch& batch = batches[filling];
        batch.clear();
        while (!read_all && !batch.full()) {
            auto row = select->step();
            if (!row)
                return row.error();  // checking's destructor waits for it
            read_all = !*row;
            if (!read_all)
                batch.add(*select);
        }
        if (checking.valid() && !checking.get())
            return walk.result();
        if (batch.empty())
            return walk.result();
        checking = std::async(std::launch::async | std::launch::deferred,
                              [&walk, &batch] { return walk.check(batch); });
    }
}

}  // namespace recoveryd
