// The audit log's half of the Store: appending chained rows, listing them,
// and walking the chain to find the first row that does not belong.
#include "daemon/store/Store.h"

#include <algorithm>
#include <charconv>
#include <cstring>
#include <future>
#include <optional>
#include <thread>
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

// One stored row as the walk sees it: views into the statement's current
// row, valid until the next step (no copy per row).
struct StoredRow {
    std::int64_t id = 0;
    CoveredFields fields;
    std::int64_t format = 0;
    std::span<const std::uint8_t> prev_hash, hash;
};

StoredRow stored_row(const Statement& s) {
    return {s.column_int64(0),
            {s.column_int64(1), s.column_view(2), s.column_view(3), s.column_view(4), s.column_view(5),
             s.column_view(6), s.column_view(7), s.column_view(8), s.column_view(9), s.column_view(10),
             s.column_int64(11), s.column_int64(12)},
            s.column_int64(13),
            s.column_blob(14),
            s.column_blob(15)};
}

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

std::string row_name(std::int64_t id) {
    return "row " + std::to_string(id);
}

std::string rows_missing(std::uint64_t count) {
    return count == 1 ? "a row is missing" : std::to_string(count) + " rows are missing";
}

// Where the chain stands: the last row that belongs, or the start of the log.
struct ChainEnd {
    std::int64_t id = 0;  // rows that belong have ids from 1 on; 0 is the start
    Digest hash{};
};

// Empty when a row with this id and stored link may follow `before`; the
// text is built only for a bad row.
std::string link_problem(const ChainEnd& before, std::int64_t id, std::span<const std::uint8_t> prev_hash) {
    const bool linked = same_digest(prev_hash, before.hash);
    // Unsigned: ids may be anything a tamperer wrote, and the difference must not overflow.
    const std::uint64_t step =
        id > before.id ? static_cast<std::uint64_t>(id) - static_cast<std::uint64_t>(before.id) : 0;
    if (linked && step == 1)
        return {};
    const std::string after = before.id == 0 ? "the start of the log" : row_name(before.id);
    if (linked)
        return row_name(id) + " follows " + after + " in the chain: the rows were renumbered";
    if (step > 1)
        return row_name(id) + " does not follow " + after + ": " + rows_missing(step - 1);
    return row_name(id) + " is out of order or inserted: it does not follow " + after;
}

// Follows the chain through one range of ids, one row at a time. The first
// row's link to the rows before the range is left to join_ranges: ranges
// are walked at once, each on its own thread and connection.
class RangeWalk {
public:
    // false: `row` is the range's first bad one; result() says why.
    bool check(const StoredRow& row) {
        ++result_.rows_checked;
        std::string problem;
        if (!hash_matches_contents(row))
            problem = row_name(row.id) + " was changed";
        else if (!first_)
            first_ = First{row.id, {row.prev_hash.begin(), row.prev_hash.end()}};
        else
            problem = link_problem(end_, row.id, row.prev_hash);
        if (!problem.empty()) {
            result_.intact = false;
            result_.first_bad_row = row.id;
            result_.problem = std::move(problem);
            return false;
        }
        end_.id = row.id;
        std::copy(row.hash.begin(), row.hash.end(), end_.hash.begin());
        return true;
    }

    // The range's first row, whose link join_ranges checks.
    struct First {
        std::int64_t id = 0;
        std::vector<std::uint8_t> prev_hash;
    };
    const std::optional<First>& first() const { return first_; }
    const ChainEnd& end() const { return end_; }
    const AuditVerification& result() const { return result_; }

private:
    std::optional<First> first_;
    ChainEnd end_;
    AuditVerification result_;
};

// The walk's answer from its ranges' walks, in id order: the first bad row
// of the whole log, and the rows read up to it.
AuditVerification join_ranges(const std::vector<RangeWalk>& ranges) {
    ChainEnd end;
    std::uint64_t rows_before = 0;
    for (const RangeWalk& range : ranges) {
        AuditVerification result = range.result();
        result.rows_checked += rows_before;
        const bool first_row_changed = !range.first();  // checked, but changed
        if (result.rows_checked == rows_before)
            continue;  // no rows in this range
        if (!first_row_changed) {
            const RangeWalk::First& first = *range.first();
            if (auto problem = link_problem(end, first.id, first.prev_hash); !problem.empty())
                return {false, rows_before + 1, first.id, std::move(problem)};
        }
        if (!result.intact)
            return result;
        end = range.end();
        rows_before = result.rows_checked;
    }
    return {true, rows_before, 0, {}};
}

// Walks the rows with ids in [low, high] on a connection of its own,
// without the store's mutex: writers go on appending meanwhile.
Result<RangeWalk> walk_range(const std::string& path, std::int64_t low, std::int64_t high) {
    auto db = Database::open_for_one_thread(path);
    if (!db)
        return db.error();
    sqlite3_busy_timeout(db->handle(), 5000);
    if (auto read_only = db->exec("PRAGMA query_only = ON"); !read_only)
        return read_only.error();
    auto select =
        db->prepare("SELECT " + std::string(kAuditColumns) + " FROM audit WHERE id BETWEEN ?1 AND ?2 ORDER BY id");
    if (!select)
        return select.error();
    select->bind(1, low).bind(2, high);
    RangeWalk walk;
    for (;;) {
        auto row = select->step();
        if (!row)
            return row.error();
        if (!*row || !walk.check(stored_row(*select)))
            return walk;
    }
}

// The ids [low, high] cut into `count` ranges of about equal width.
std::vector<std::pair<std::int64_t, std::int64_t>> id_ranges(std::int64_t low, std::int64_t high, unsigned count) {
    // Unsigned: a tamperer's ids may span more than an int64 can count.
    const std::uint64_t span = static_cast<std::uint64_t>(high) - static_cast<std::uint64_t>(low);
    const std::uint64_t width = span / count + 1;
    std::vector<std::pair<std::int64_t, std::int64_t>> ranges;
    std::uint64_t offset = 0;
    for (unsigned i = 0; i < count && offset <= span; ++i, offset += width) {
        const std::uint64_t last = std::min(span, offset + width - 1);
        ranges.emplace_back(static_cast<std::int64_t>(static_cast<std::uint64_t>(low) + offset),
                            static_cast<std::int64_t>(static_cast<std::uint64_t>(low) + last));
        if (last == span)
            break;
    }
    return ranges;
}

}  // namespace

Digest audit_row_hash(const Digest& prev_hash, const AuditRecord& record, AuditFormat format) {
    return hash_covered(prev_hash, covered_fields(record), format);
}

Result<AuditAnchor> Store::append_audit(const AuditRecord& given, std::int64_t settles) {
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
    if (settles != 0) {
        auto settled = record.outcome == "ok" ? mark_rotation_recorded_locked(settles)
                                              : remove_rotation_intent_locked(settles);
        if (!settled)
            return settled.error();
        if (!*settled)
            return make_error(ErrorCode::Internal,
                              "rotation intent " + std::to_string(settles) + " does not exist or is recorded already");
    }
    if (auto committed = transaction->commit(); !committed)
        return committed.error();
    if (settles != 0 && record.outcome != "ok")
        checkpoint_wal(db_);  // the intent's replaced hash leaves the WAL too
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

Result<AuditVerification> Store::verify_audit_chain(unsigned threads) {
    // The rows there are now: rows appended during the walk are left for
    // the next one, and every range reads the same rows.
    auto db = Database::open_for_one_thread(db_.path());
    if (!db)
        return db.error();
    sqlite3_busy_timeout(db->handle(), 5000);
    auto bounds = db->prepare("SELECT min(id), max(id), count(*) FROM audit");
    if (!bounds)
        return bounds.error();
    if (auto row = bounds->step(); !row)
        return row.error();
    if (bounds->column_int64(2) == 0)
        return AuditVerification{};
    // Reading rows out of SQLite costs about twice what hashing them does:
    // each core walks a range of ids, reading and hashing.
    if (threads == 0)
        threads = std::clamp(std::thread::hardware_concurrency(), 1U, 8U);
    std::vector<std::future<Result<RangeWalk>>> walking;
    for (const auto& [low, high] : id_ranges(bounds->column_int64(0), bounds->column_int64(1), threads))
        walking.push_back(std::async(std::launch::async | std::launch::deferred,
                                     [path = db_.path(), low, high] { return walk_range(path, low, high); }));
    std::vector<RangeWalk> ranges;
    for (auto& range : walking) {
        auto walked = range.get();
        if (!walked)
            return walked.error();  // the other futures' destructors wait for them
        ranges.push_back(std::move(*walked));
    }
    return join_ranges(ranges);
}

}  // namespace recoveryd
