// audit-fill: appends many valid rows to a recoveryd store's audit log, for
// the `audit` benchmark (bench/run). One transaction and one prepared
// statement, each row chained with the daemon's own audit_row_hash, so a
// million rows take seconds, not a million fsyncs.
//
//   audit-fill DATABASE ROWS
//
// DATABASE is opened (or created) as recoveryd opens it, schema included;
// recoveryd must not be running on it. Prints the ids appended and the time.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>

#include <CLI/CLI.hpp>

#include "daemon/store/Database.h"
#include "daemon/store/Store.h"

using namespace recoveryd;

namespace {

std::span<const std::uint8_t> bytes(const Digest& digest) { return {digest.data(), digest.size()}; }

constexpr const char* kActions[] = {"flow.start", "code.verify", "password.rotate", "flow.cancel", "requests.list"};

// A plausible row: sizes like the daemon's.
AuditRecord row(std::uint64_t n) {
    AuditRecord r;
    r.time = 1795600800 + static_cast<std::int64_t>(n);
    r.actor = "pam:sshd";
    r.target_user = "user" + std::to_string(n % 5000);
    r.service = "sshd";
    r.tty = "ssh";
    r.rhost = "192.0.2." + std::to_string(n % 250);
    r.action = kActions[n % (sizeof kActions / sizeof kActions[0])];
    r.outcome = n % 3 == 0 ? "failed" : "ok";
    r.detail = n % 2 == 0 ? "" : "an administrator's note of some length";
    r.app_uid = 0;
    r.login_uid = -1;
    return r;
}

Result<std::pair<std::int64_t, Digest>> chain_end(Database& db) {
    auto last = db.prepare("SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1");
    if (!last)
        return last.error();
    auto found = last->step();
    if (!found)
        return found.error();
    if (!*found)
        return std::pair<std::int64_t, Digest>{0, Digest{}};
    Digest hash{};
    const auto stored = last->column_blob(1);
    std::copy_n(stored.begin(), std::min(stored.size(), hash.size()), hash.begin());
    return std::pair{last->column_int64(0), hash};
}

Result<std::int64_t> fill(Database& db, std::uint64_t rows) {
    auto transaction = Transaction::begin(db);
    if (!transaction)
        return transaction.error();
    auto end = chain_end(db);
    if (!end)
        return end.error();
    auto [id, prev] = *end;
    auto insert = db.prepare(
        "INSERT INTO audit (id, time, actor, target_user, service, tty, rhost, action, outcome, detail, ruser,"
        " app_uid, login_uid, format, prev_hash, hash)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)");
    if (!insert)
        return insert.error();
    for (std::uint64_t n = 0; n < rows; ++n) {
        const AuditRecord r = row(n);
        const Digest hash = audit_row_hash(prev, r);
        insert->reset().bind(1, ++id).bind(2, r.time).bind(3, r.actor).bind(4, r.target_user).bind(5, r.service);
        insert->bind(6, r.tty).bind(7, r.rhost).bind(8, r.action).bind(9, r.outcome).bind(10, r.detail);
        insert->bind(11, r.ruser).bind(12, r.app_uid).bind(13, r.login_uid);
        insert->bind(14, static_cast<std::int64_t>(kCurrentAuditFormat)).bind(15, bytes(prev)).bind(16, bytes(hash));
        if (auto inserted = insert->run(); !inserted)
            return inserted.error();
        prev = hash;
    }
    if (auto committed = transaction->commit(); !committed)
        return committed.error();
    return id;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"Append valid rows to a recoveryd store's audit log (for benchmarks)"};
    std::string path;
    std::uint64_t rows = 0;
    app.add_option("DATABASE", path, "The store, e.g. /var/lib/recoveryd/recoveryd.db")->required();
    app.add_option("ROWS", rows, "How many rows to append")->required();
    CLI11_PARSE(app, argc, argv);

    if (auto crypto = init_crypto(); !crypto)
        return std::fprintf(stderr, "audit-fill: %s\n", crypto.error().message.c_str()), 1;
    // As the daemon opens it: created with its schema, checked.
    if (auto store = Store::open(path); !store)
        return std::fprintf(stderr, "audit-fill: %s\n", store.error().message.c_str()), 1;
    auto db = Database::open(path, false);
    if (!db)
        return std::fprintf(stderr, "audit-fill: %s\n", db.error().message.c_str()), 1;
    const auto started = std::chrono::steady_clock::now();
    const auto last = fill(*db, rows);
    if (!last)
        return std::fprintf(stderr, "audit-fill: %s\n", last.error().message.c_str()), 1;
    const std::chrono::duration<double> took = std::chrono::steady_clock::now() - started;
    std::printf("appended %llu rows (the last is row %lld) in %.2f s\n", static_cast<unsigned long long>(rows),
                static_cast<long long>(*last), took.count());
    return 0;
}
