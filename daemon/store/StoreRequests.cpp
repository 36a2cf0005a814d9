// The Store's part for requests for help and their approval codes
// (schema/003_admin_requests.sql). Every method holds the store's mutex for
// its whole transaction, like the rest of the Store.

#include <algorithm>
#include <string>

#include "daemon/store/Store.h"
#include "daemon/store/StoreSupport.h"

namespace recoveryd {

using namespace store_support;

bool request_state::is_known(std::string_view state) {
    for (const char* known : {kOpen, kApproved, kDenied, kCompleted, kExpired})
        if (state == known)
            return true;
    return false;
}

namespace {

constexpr int kMaxIdDraws = 16;

constexpr std::string_view kRequestColumns =
    "id, user, uid, account, filed_at, expires_at, service, tty, rhost, ruser, contact, reason, state,"
    " decided_by, decided_at, note";

HelpRequest read_request(const Statement& select) {
    HelpRequest r;
    r.id = select.column_text(0);
    r.user = select.column_text(1);
    r.uid = select.column_int64(2);
    r.account = select.column_text(3);
    r.filed_at = select.column_int64(4);
    r.expires_at = select.column_int64(5);
    r.service = select.column_text(6);
    r.tty = select.column_text(7);
    r.rhost = select.column_text(8);
    r.ruser = select.column_text(9);
    r.contact = select.column_text(10);
    r.reason = select.column_text(11);
    r.state = select.column_text(12);
    r.decided_by = select.column_text(13);
    r.decided_at = select.column_int64(14);
    r.note = select.column_text(15);
    return r;
}

// Requests and codes whose time has come, as of `now`: an open or approved
// request past its lifetime expires; a code past its lifetime, or whose
// request is no longer approved, is deleted.
Result<void> expire(Database& db, std::int64_t now) {
    auto requests = db.prepare(
        "UPDATE requests SET state = 'expired' WHERE state IN ('open', 'approved') AND expires_at <= ?1");
    if (!requests)
        return requests.error();
    if (auto r = requests->bind(1, now).run(); !r)
        return r;
    auto codes = db.prepare(
        "DELETE FROM approval_codes WHERE expires_at <= ?1"
        " OR request_id IN (SELECT id FROM requests WHERE state <> 'approved')");
    if (!codes)
        return codes.error();
    return codes->bind(1, now).run();
}

Result<std::vector<HelpRequest>> read_requests(Statement& select) {
    std::vector<HelpRequest> requests;
    for (;;) {
        auto row = select.step();
        if (!row)
            return row.error();
        if (!*row)
            return requests;
        requests.push_back(read_request(select));
    }
}

Error no_such_request(std::string_view id) {
    return make_error(ErrorCode::NotFound, "there is no request " + std::string(id) +
                                               " (see recoveryctl requests --all)");
}

// An open or approved request's (user, uid), for a decision about it.
Result<HelpRequest> find_undecided(Database& db, std::string_view id) {
    auto select = db.prepare("SELECT " + std::string(kRequestColumns) + " FROM requests WHERE id = ?1");
    if (!select)
        return select.error();
    auto found = read_requests(select->bind(1, id));
    if (!found)
        return found.error();
    if (found->empty())
        return no_such_request(id);
    HelpRequest& request = found->front();
    if (request.state != request_state::kOpen && request.state != request_state::kApproved)
        return make_error(ErrorCode::InvalidArgument,
                          "request " + std::string(id) + " is " + request.state + ": it can no longer be decided");
    return std::move(request);
}

}  // namespace

Result<std::int64_t> Store::judge_time(const ClockReading& clock) {
    std::lock_guard lock(*mutex_);
    auto transaction = Transaction::begin(db_);
    if (!transaction)
        return transaction.error();
    auto judged = judge_time_locked(clock);
    if (!judged)
        return judged;
    if (auto r = transaction->commit(); !r)
        return r.error();
    return judged;
}

Result<Store::ClockRow> Store::read_clock_row() {
    auto select = db_.prepare("SELECT latest, boot_id, boot_at FROM clock WHERE id = 1");
    if (!select)
        return select.error();
    auto row = select->step();
    if (!row)
        return row.error();
    if (!*row)
        return make_error(ErrorCode::Corrupt, db_.path() + ": the clock row is missing");
    return ClockRow{select->column_int64(0), select->column_text(1), select->column_int64(2)};
}

std::int64_t Store::ClockRow::judge(const ClockReading& clock) const {
    std::int64_t judged = std::max(clock.wall_us, latest);
    if (!clock.boot_id.empty() && clock.boot_id == boot_id && clock.boot_us >= boot_at)
        judged = std::max(judged, latest + (clock.boot_us - boot_at));
    return judged;
}

Result<std::int64_t> Store::judge_time_locked(const ClockReading& clock) {
    const auto row = read_clock_row();
    if (!row)
        return row.error();
    const std::int64_t judged = row->judge(clock);
    auto update = db_.prepare("UPDATE clock SET latest = ?1, boot_id = ?2, boot_at = ?3 WHERE id = 1");
    if (!update)
        return update.error();
    if (auto r = update->bind(1, judged).bind(2, clock.boot_id).bind(3, clock.boot_us).run(); !r)
        return r.error();
    return judged;
}

Result<std::int64_t> Store::settle_time(const ClockReading& clock) {
    auto now = judge_time_locked(clock);
    if (!now)
        return now;
    if (auto expired = expire(db_, *now); !expired)
        return expired.error();
    return now;
}

namespace {

// The cap `request` meets first, if any, counting open and approved
// requests. A source's own open request for the name comes first, so a
// repeat is told its request is already open rather than that the name is
// full. The total stays bounded by caps.total, so the scan is too.
Result<Filing::Refusal> meet_caps(Database& db, const HelpRequest& request, const RequestCaps& caps) {
    auto select = db.prepare(
        "SELECT count(*) FILTER (WHERE user = ?1 AND source = ?2 AND ?2 <> ''),"
        " count(*) FILTER (WHERE user = ?1 AND (rhost <> '') = (?3 <> '')),"
        " count(*) FILTER (WHERE source = ?2 AND ?2 <> ''), count(*)"
        " FROM requests WHERE state IN ('open', 'approved')");
    if (!select)
        return select.error();
    auto row = select->bind(1, request.user).bind(2, request.source).bind(3, request.rhost).step();
    if (!row)
        return row.error();
    const auto reached = [&](int column, std::size_t cap) {
        return static_cast<std::size_t>(select->column_int64(column)) >= cap;
    };
    if (reached(0, 1))
        return Filing::Refusal::AlreadyFiledHere;
    if (reached(1, caps.per_user))
        return Filing::Refusal::UserFull;
    if (reached(2, caps.per_source))
        return Filing::Refusal::SourceFull;
    if (reached(3, caps.total))
        return Filing::Refusal::AllFull;
    return Filing::Refusal::None;
}

Result<void> insert_request(Database& db, const HelpRequest& request) {
    auto insert = db.prepare(
        "INSERT INTO requests (id, user, uid, account, filed_at, expires_at, service, tty, rhost, ruser,"
        " contact, reason, source) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)"
        " ON CONFLICT (id) DO NOTHING");
    if (!insert)
        return insert.error();
    insert->bind(1, request.id).bind(2, request.user).bind(3, request.uid).bind(4, request.account);
    insert->bind(5, request.filed_at).bind(6, request.expires_at).bind(7, request.service);
    insert->bind(8, request.tty).bind(9, request.rhost).bind(10, request.ruser);
    insert->bind(11, request.contact).bind(12, request.reason).bind(13, request.source);
    return insert->run();
}

}  // namespace

Result<Filing> Store::file_request(HelpRequest request, const ClockReading& clock, const RequestCaps& caps,
                                   std::int64_t lifetime_us, const std::function<std::string()>& new_id) {
    std::lock_guard lock(*mutex_);
    auto transaction = Transaction::begin(db_);
    if (!transaction)
        return transaction.error();
    auto now = settle_time(clock);
    if (!now)
        return now.error();
    auto refusal = meet_caps(db_, request, caps);
    if (!refusal)
        return refusal.error();
    Filing filing{*refusal, {}};
    if (filing.filed()) {
        request.filed_at = *now;
        request.expires_at = *now + lifetime_us;
        request.state = request_state::kOpen;
        bool inserted = false;
        for (int draw = 0; draw < kMaxIdDraws && !inserted; ++draw) {
            request.id = new_id();
            if (auto r = insert_request(db_, request); !r)
                return r.error();
            inserted = db_.changes() == 1;
        }
        if (!inserted)
            return make_error(ErrorCode::Unavailable, "no free request id was found; try again");
        filing.id = request.id;
    }
    if (auto r = transaction->commit(); !r)
        return r.error();
    return filing;
}

// Reading writes nothing (no fsync): the time is judged but not stored, and
// a request past its time reads as expired before the next write marks it.
Result<std::vector<HelpRequest>> Store::read_requests_at(const ClockReading& clock, const RequestFilter& filter,
                                                         std::string_view id) {
    std::lock_guard lock(*mutex_);
    const auto row = read_clock_row();
    if (!row)
        return row.error();
    auto select = db_.prepare(
        "SELECT * FROM (SELECT id, user, uid, account, filed_at, expires_at, service, tty, rhost, ruser, contact,"
        " reason, CASE WHEN state IN ('open', 'approved') AND expires_at <= ?4 THEN 'expired' ELSE state END AS state,"
        " decided_by, decided_at, note FROM requests)"
        " WHERE (?1 = '' OR state = ?1) AND (?2 = '' OR user = ?2) AND (?3 = '' OR id = ?3) ORDER BY filed_at, id");
    if (!select)
        return select.error();
    return read_requests(select->bind(1, filter.state).bind(2, filter.user).bind(3, id).bind(4, row->judge(clock)));
}

Result<std::vector<HelpRequest>> Store::list_requests(const RequestFilter& filter, const ClockReading& clock) {
    return read_requests_at(clock, filter, {});
}

Result<HelpRequest> Store::find_request(std::string_view id, const ClockReading& clock) {
    auto found = read_requests_at(clock, {}, id.empty() ? "-" : id);
    if (!found)
        return found.error();
    if (found->empty())
        return no_such_request(id);
    return std::move(found->front());
}

Result<std::int64_t> Store::approve_request(const ApprovalGrant& grant, const ClockReading& clock) {
    std::lock_guard lock(*mutex_);
    auto transaction = Transaction::begin(db_);
    if (!transaction)
        return transaction.error();
    auto now = settle_time(clock);
    if (!now)
        return now.error();
    auto request = find_undecided(db_, grant.request_id);
    if (!request)
        return request.error();
    if (request->user != grant.user || request->uid != grant.uid || grant.uid < 0)
        return make_error(ErrorCode::AccessDenied, "request " + grant.request_id + " names another account");
    const std::int64_t expires_at = std::min(*now + grant.lifetime_us, request->expires_at);
    auto code = db_.prepare(
        "INSERT INTO approval_codes (request_id, user, uid, code_hash, issued_at, expires_at)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (request_id) DO UPDATE SET code_hash = excluded.code_hash,"
        " issued_at = excluded.issued_at, expires_at = excluded.expires_at");
    if (!code)
        return code.error();
    code->bind(1, grant.request_id).bind(2, grant.user).bind(3, grant.uid).bind(4, bytes(grant.code_hash));
    if (auto r = code->bind(5, *now).bind(6, expires_at).run(); !r)
        return r.error();
    auto update = db_.prepare(
        "UPDATE requests SET state = 'approved', decided_by = ?2, decided_at = ?3, note = ?4 WHERE id = ?1");
    if (!update)
        return update.error();
    if (auto r = update->bind(1, grant.request_id).bind(2, grant.decided_by).bind(3, *now).bind(4, grant.note).run();
        !r)
        return r.error();
    if (auto r = transaction->commit(); !r)
        return r.error();
    checkpoint_wal(db_);  // an earlier code's hash may have been replaced
    return expires_at;
}

Result<void> Store::deny_request(std::string_view id, std::string_view decided_by, std::string_view reason,
                                 const ClockReading& clock) {
    std::lock_guard lock(*mutex_);
    auto transaction = Transaction::begin(db_);
    if (!transaction)
        return transaction.error();
    auto now = settle_time(clock);
    if (!now)
        return now.error();
    if (auto request = find_undecided(db_, id); !request)
        return request.error();
    auto update = db_.prepare(
        "UPDATE requests SET state = 'denied', decided_by = ?2, decided_at = ?3, note = ?4 WHERE id = ?1");
    if (!update)
        return update.error();
    if (auto r = update->bind(1, id).bind(2, decided_by).bind(3, *now).bind(4, reason).run(); !r)
        return r;
    if (auto r = expire(db_, *now); !r)  // the denied request's code goes
        return r;
    if (auto r = transaction->commit(); !r)
        return r;
    checkpoint_wal(db_);
    return {};
}

Result<ApprovalCheck> Store::consume_approval_code(const IdentityAttempt& attempt, std::int64_t uid,
                                                   const Digest& hash) {
    ApprovalCheck check;
    auto verdict = counted_check(attempt, [&](std::int64_t now) -> Result<bool> {
        if (auto used = consume_approval_code_locked(attempt.user, uid, hash, now, check); !used)
            return used.error();
        return check.consumed;
    });
    if (!verdict)
        return verdict.error();
    check.attempt = *verdict;
    return check;
}

Result<void> Store::consume_approval_code_locked(std::string_view user, std::int64_t uid, const Digest& hash,
                                                 std::int64_t now, ApprovalCheck& check) {
    auto consume = db_.prepare(
        "DELETE FROM approval_codes WHERE user = ?1 AND uid = ?2 AND ?2 >= 0 AND code_hash = ?3 AND expires_at > ?4"
        " AND request_id IN (SELECT id FROM requests WHERE state = 'approved') RETURNING request_id");
    if (!consume)
        return consume.error();
    consume->bind(1, user).bind(2, uid).bind(3, bytes(hash)).bind(4, now);
    auto row = consume->step();
    if (!row)
        return row.error();
    if (*row)
        check.request_id = consume->column_text(0);
    if (auto rest = consume->run(); !rest)
        return rest.error();
    check.consumed = !check.request_id.empty() && db_.changes() == 1;
    return {};
}

Result<void> Store::complete_request(std::string_view id, const ClockReading& clock) {
    std::lock_guard lock(*mutex_);
    auto transaction = Transaction::begin(db_);
    if (!transaction)
        return transaction.error();
    auto now = judge_time_locked(clock);
    if (!now)
        return now.error();
    // Not expire() first: the code was live when it was used, even if the
    // request's lifetime ended while the new password was being chosen.
    // Completed already: a start repeating the follow-ups of a change a
    // crash cut short (RotationIntents.h).
    auto update = db_.prepare(
        "UPDATE requests SET state = 'completed' WHERE id = ?1 AND state IN ('approved', 'expired', 'completed')");
    if (!update)
        return update.error();
    if (auto r = update->bind(1, id).run(); !r)
        return r;
    if (db_.changes() != 1)
        return no_such_request(id);
    return transaction->commit();
}

}  // namespace recoveryd
