// The Store's part for rate limits on identity checks
// (schema/004_attempt_limits.sql). The consume_* methods call
// begin_attempt_locked before they compare anything and
// finish_attempt_locked after, in their one transaction.

#include <algorithm>
#include <array>
#include <limits>

#include "daemon/store/Store.h"
#include "daemon/store/StoreSupport.h"

namespace recoveryd {

using namespace store_support;

const char* scope_name(AttemptScope scope) {
    switch (scope) {
    case AttemptScope::User: return "user";
    case AttemptScope::Source: return "source";
    case AttemptScope::Total: return "total";
    case AttemptScope::None: break;
    }
    return "";
}

namespace {

constexpr std::int64_t kMicrosPerSecond = 1'000'000;
constexpr std::uint32_t kMaxDoublings = 30;

struct ScopedKey {
    AttemptScope scope;
    std::string_view key;
    const FailureLimit& limit;
};

// Narrowest first: a blocked attempt names the most specific limit.
std::array<ScopedKey, 3> keys_of(const IdentityAttempt& attempt) {
    return {ScopedKey{AttemptScope::User, attempt.user, attempt.limits.per_user},
            ScopedKey{AttemptScope::Source, attempt.source, attempt.limits.per_source},
            ScopedKey{AttemptScope::Total, "", attempt.limits.total}};
}

std::int64_t micros(std::chrono::seconds seconds) {
    return seconds.count() > std::numeric_limits<std::int64_t>::max() / kMicrosPerSecond
               ? std::numeric_limits<std::int64_t>::max()
               : seconds.count() * kMicrosPerSecond;
}

std::int64_t saturating_add(std::int64_t a, std::int64_t b) {
    std::int64_t sum = 0;
    return __builtin_add_overflow(a, b, &sum) ? std::numeric_limits<std::int64_t>::max() : sum;
}

// The lockout's length at this level: doubled per level, within the cap
// (never below the first lockout).
std::int64_t lockout_length(const FailureLimit& limit, std::chrono::seconds cap, std::int64_t level) {
    const std::int64_t first = micros(limit.lockout);
    const std::int64_t most = std::max(first, micros(cap));
    std::int64_t length = first;
    for (std::int64_t i = 1; i < level && i < kMaxDoublings && length < most; ++i)
        length = saturating_add(length, length);
    return std::min(length, most);
}

// Until when the key is locked out, if it is now.
Result<std::int64_t> locked_until(Database& db, const ScopedKey& key, std::int64_t now) {
    auto select = db.prepare("SELECT until FROM lockouts WHERE scope = ?1 AND key = ?2 AND until > ?3");
    if (select)
        select->bind(1, scope_name(key.scope)).bind(2, key.key).bind(3, now);
    auto until = single_int(std::move(select));
    if (!until)
        return until.error();
    return until->value_or(0);
}

Result<void> prune(Database& db, const IdentityAttempt& attempt, std::int64_t now) {
    std::int64_t longest = 0;
    for (const ScopedKey& key : keys_of(attempt)) {
        const std::int64_t window = micros(key.limit.window);
        longest = std::max(longest, window);
        // A lockout is remembered (for growing waits) one window past its end.
        auto stale = db.prepare("DELETE FROM lockouts WHERE scope = ?1 AND until <= ?2");
        if (!stale)
            return stale.error();
        if (auto r = stale->bind(1, scope_name(key.scope)).bind(2, now - window).run(); !r)
            return r;
    }
    auto old = db.prepare("DELETE FROM failed_checks WHERE at <= ?1");
    if (!old)
        return old.error();
    return old->bind(1, now - longest).run();
}

Result<std::int64_t> count_failures(Database& db, const ScopedKey& key, std::int64_t now) {
    auto count = db.prepare("SELECT count(*) FROM failed_checks WHERE scope = ?1 AND key = ?2 AND at > ?3");
    if (count)
        count->bind(1, scope_name(key.scope)).bind(2, key.key).bind(3, now - micros(key.limit.window));
    auto failures = single_int(std::move(count));
    if (!failures)
        return failures.error();
    return failures->value_or(0);
}

// Starts (or, within a window of the last one's end, grows) a lockout.
Result<std::int64_t> lock_out(Database& db, const ScopedKey& key, std::chrono::seconds cap, std::int64_t now) {
    auto previous = db.prepare("SELECT level FROM lockouts WHERE scope = ?1 AND key = ?2");
    if (previous)
        previous->bind(1, scope_name(key.scope)).bind(2, key.key);
    auto level = single_int(std::move(previous));
    if (!level)
        return level.error();
    const std::int64_t next_level = level->value_or(0) + 1;
    const std::int64_t until = saturating_add(now, lockout_length(key.limit, cap, next_level));
    auto upsert = db.prepare(
        "INSERT INTO lockouts (scope, key, until, level) VALUES (?1, ?2, ?3, ?4)"
        " ON CONFLICT (scope, key) DO UPDATE SET until = excluded.until, level = excluded.level");
    if (!upsert)
        return upsert.error();
    if (auto r = upsert->bind(1, scope_name(key.scope)).bind(2, key.key).bind(3, until).bind(4, next_level).run(); !r)
        return r.error();
    return until;
}

}  // namespace

namespace {

// Adds the time until its end to a verdict's `counting`.
class CountingTimer {
public:
    explicit CountingTimer(AttemptVerdict& verdict) : verdict_(verdict) {}
    ~CountingTimer() { verdict_.counting += std::chrono::steady_clock::now() - start_; }
    CountingTimer(const CountingTimer&) = delete;
    CountingTimer& operator=(const CountingTimer&) = delete;

private:
    AttemptVerdict& verdict_;
    std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

}  // namespace

Result<void> Store::begin_attempt_locked(const IdentityAttempt& attempt, AttemptTicket& ticket) {
    const CountingTimer timer(ticket.verdict);
    if (auto pruned = prune(db_, attempt, ticket.now); !pruned)
        return pruned;
    for (const ScopedKey& key : keys_of(attempt)) {
        auto until = locked_until(db_, key, ticket.now);
        if (!until)
            return until.error();
        if (*until > 0) {
            ticket.verdict.blocked_by = key.scope;
            ticket.verdict.blocked_until = *until;
            return {};
        }
    }
    // Counted as failed now, before anything is compared: a crash or an
    // error later in this transaction rolls back the comparison too.
    for (const ScopedKey& key : keys_of(attempt)) {
        auto insert = db_.prepare("INSERT INTO failed_checks (scope, key, at) VALUES (?1, ?2, ?3) RETURNING rowid");
        if (insert)
            insert->bind(1, scope_name(key.scope)).bind(2, key.key).bind(3, ticket.now);
        auto rowid = single_int(std::move(insert));
        if (!rowid)
            return rowid.error();
        ticket.counted.push_back(rowid->value_or(0));
    }
    return {};
}

Result<void> Store::finish_attempt_locked(const IdentityAttempt& attempt, AttemptTicket& ticket, bool matched) {
    if (ticket.verdict.blocked())
        return {};
    const CountingTimer timer(ticket.verdict);
    if (matched) {
        for (std::int64_t rowid : ticket.counted) {
            auto forget = db_.prepare("DELETE FROM failed_checks WHERE rowid = ?1");
            if (!forget)
                return forget.error();
            if (auto r = forget->bind(1, rowid).run(); !r)
                return r;
        }
        return {};
    }
    for (const ScopedKey& key : keys_of(attempt)) {
        auto failures = count_failures(db_, key, ticket.now);
        if (!failures)
            return failures.error();
        if (*failures < static_cast<std::int64_t>(key.limit.max_failures))
            continue;
        auto until = lock_out(db_, key, attempt.limits.max_lockout, ticket.now);
        if (!until)
            return until.error();
        if (ticket.verdict.locked_out == AttemptScope::None) {
            ticket.verdict.locked_out = key.scope;
            ticket.verdict.lockout_until = *until;
        }
    }
    return {};
}

Result<AttemptVerdict> Store::counted_check(const IdentityAttempt& attempt,
                                            const std::function<Result<bool>(std::int64_t now)>& compare) {
    std::lock_guard lock(*mutex_);
    auto transaction = Transaction::begin(db_);
    if (!transaction)
        return transaction.error();
    auto now = settle_time(attempt.clock);
    if (!now)
        return now.error();
    AttemptTicket ticket{{}, *now, {}};
    if (auto counted = begin_attempt_locked(attempt, ticket); !counted)
        return counted.error();
    if (!ticket.verdict.blocked()) {
        auto matched = compare(*now);
        if (!matched)
            return matched.error();
        if (auto counted = finish_attempt_locked(attempt, ticket, *matched); !counted)
            return counted.error();
    }
    if (auto r = transaction->commit(); !r)
        return r.error();
    checkpoint_wal(db_);  // a used code's hash is gone from the WAL too
    return ticket.verdict;
}

Result<void> Store::clear_failed_checks(std::string_view user) {
    std::lock_guard lock(*mutex_);
    auto transaction = Transaction::begin(db_);
    if (!transaction)
        return transaction.error();
    for (const char* table : {"failed_checks", "lockouts"}) {
        auto clear = db_.prepare(std::string("DELETE FROM ") + table + " WHERE scope = 'user' AND key = ?1");
        if (!clear)
            return clear.error();
        if (auto r = clear->bind(1, user).run(); !r)
            return r;
    }
    return transaction->commit();
}

}  // namespace recoveryd
