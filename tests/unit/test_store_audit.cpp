// Unit tests for the store's audit log: rows keep every field and are
// append-only; the walk of the chain says how many rows an untouched log
// holds, and names the first bad row and what is wrong with it after an
// edit, a deletion, an insertion, a reordering or a renumbering done with
// SQL beside the store (triggers dropped first, as an attacker would).
#include "tests/unit/test_store_fixture.h"

#include <initializer_list>
#include <span>
#include <string>

using namespace recoveryd;

namespace {

constexpr const char* kColumns =
    "id, time, actor, target_user, service, tty, rhost, action, outcome, detail, prev_hash, hash, ruser, app_uid,"
    " login_uid, format";

AuditRecord record(const std::string& action) {
    AuditRecord r{};
    r.time = 1700000000;
    r.actor = "pam:su";
    r.target_user = "alice";
    r.service = "su";
    r.tty = "pts/1";
    r.action = action;
    r.outcome = "ok";
    r.ruser = "mallory";
    r.app_uid = 1003;
    r.login_uid = 1003;
    return r;
}

void append_rows(const StoreDir& d, int count) {
    Store store = d.open();
    for (int i = 1; i <= count; ++i)
        ok_value(store.append_audit(record("action.n" + std::to_string(i))));
}

// Many rows in one transaction, chained as the store chains them (an
// append each would cost an fsync each).
void append_many(const StoreDir& d, int count) {
    { Store created = d.open(); }
    auto db = Database::open(d.path.string(), false);
    assert_true(db.ok());
    auto transaction = Transaction::begin(*db);
    assert_true(transaction.ok());
    Digest prev{};
    for (int id = 1; id <= count; ++id) {
        const AuditRecord r = record("action.n" + std::to_string(id));
        const Digest hash = audit_row_hash(prev, r);
        auto insert = db->prepare(std::string("INSERT INTO audit (") + kColumns +
                                  ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, 2)");
        assert_true(insert.ok());
        insert->bind(1, std::int64_t{id}).bind(2, r.time).bind(3, r.actor).bind(4, r.target_user);
        insert->bind(5, r.service).bind(6, r.tty).bind(7, r.rhost).bind(8, r.action).bind(9, r.outcome);
        insert->bind(10, r.detail).bind(11, std::span<const std::uint8_t>(prev));
        insert->bind(12, std::span<const std::uint8_t>(hash));
        insert->bind(13, r.ruser).bind(14, r.app_uid).bind(15, r.login_uid);
        assert_true(insert->run().ok());
        prev = hash;
    }
    assert_true(transaction->commit().ok());
}

// Tampering needs the append-only triggers out of the way first, as an
// attacker who can write the file would do.
void tamper(const StoreDir& d, std::initializer_list<std::string> statements) {
    d.sql("DROP TRIGGER IF EXISTS audit_no_update");
    d.sql("DROP TRIGGER IF EXISTS audit_no_delete");
    for (const std::string& statement : statements)
        d.sql(statement);
}

// The walk splits the ids into one range per thread and joins the ranges'
// answers: every count of threads must give the one-thread answer, so each
// case below is checked with the ranges' edges in many places.
AuditVerification verify(const StoreDir& d) {
    Store store = d.open();
    const AuditVerification alone = ok_value(store.verify_audit_chain(1));
    for (unsigned threads : {2U, 3U, 4U, 5U, 0U}) {
        const AuditVerification split = ok_value(store.verify_audit_chain(threads));
        if (split.intact != alone.intact || split.rows_checked != alone.rows_checked ||
            split.first_bad_row != alone.first_bad_row || split.problem != alone.problem)
            fail_msg("%u threads: intact=%d row %lld, \"%s\" after %llu rows; one thread: intact=%d row %lld, \"%s\""
                     " after %llu rows",
                     threads, split.intact, static_cast<long long>(split.first_bad_row), split.problem.c_str(),
                     static_cast<unsigned long long>(split.rows_checked), alone.intact,
                     static_cast<long long>(alone.first_bad_row), alone.problem.c_str(),
                     static_cast<unsigned long long>(alone.rows_checked));
    }
    return alone;
}

void assert_bad(const StoreDir& d, std::int64_t row, std::uint64_t rows_checked, const char* problem) {
    const AuditVerification found = verify(d);
    if (found.intact || found.first_bad_row != row || found.problem != problem || found.rows_checked != rows_checked)
        fail_msg("expected row %lld, \"%s\" after %llu rows; got intact=%d row %lld, \"%s\" after %llu rows",
                 static_cast<long long>(row), problem, static_cast<unsigned long long>(rows_checked), found.intact,
                 static_cast<long long>(found.first_bad_row), found.problem.c_str(),
                 static_cast<unsigned long long>(found.rows_checked));
}

void rows_keep_every_field(void**) {
    StoreDir d;
    append_rows(d, 3);
    Store store = d.open();
    auto rows = ok_value(store.list_audit(2));
    assert_int_equal(rows.size(), 2);
    const AuditRow& last = rows[1];
    assert_string_equal(last.record.action.c_str(), "action.n3");
    assert_string_equal(last.record.ruser.c_str(), "mallory");
    assert_int_equal(last.record.app_uid, 1003);
    assert_int_equal(last.record.login_uid, 1003);
    assert_int_equal(static_cast<int>(last.format), static_cast<int>(AuditFormat::v2));
    assert_true(digests_equal(last.prev_hash, rows[0].hash));
}

// The anchor the journal gets is the row as stored.
void append_says_where_the_row_landed(void**) {
    StoreDir d;
    append_rows(d, 2);
    Store store = d.open();
    const AuditAnchor anchor = ok_value(store.append_audit(record("flow.start")));
    assert_int_equal(anchor.id, 3);
    const auto rows = ok_value(store.list_audit(1));
    assert_int_equal(rows[0].id, 3);
    assert_true(digests_equal(rows[0].hash, anchor.hash));
    assert_true(digests_equal(anchor.hash, audit_row_hash(rows[0].prev_hash, rows[0].record)));
}

void an_untouched_log_says_how_many_rows_it_checked(void**) {
    StoreDir d;
    const AuditVerification empty = verify(d);
    assert_true(empty.intact);
    assert_int_equal(empty.rows_checked, 0);
    append_rows(d, 5);
    const AuditVerification five = verify(d);
    assert_true(five.intact);
    assert_int_equal(five.rows_checked, 5);
    assert_int_equal(five.first_bad_row, 0);
    assert_true(five.problem.empty());
}

void an_edited_row_is_named(void**) {
    for (const char* edit : {"outcome = 'failed'", "detail = 'nothing happened'", "time = time + 1",
                             "target_user = 'bob'", "hash = randomblob(32)", "prev_hash = zeroblob(32)"}) {
        StoreDir d;
        append_rows(d, 4);
        tamper(d, {std::string("UPDATE audit SET ") + edit + " WHERE id = 2"});
        assert_bad(d, 2, 2, "row 2 was changed");
    }
}

// The v2 hash covers who invoked the application: each field's edit shows.
void the_chain_covers_the_invoking_user(void**) {
    for (const char* edit : {"ruser = 'root'", "app_uid = 0", "login_uid = -1", "format = 1"}) {
        StoreDir d;
        append_rows(d, 3);
        tamper(d, {std::string("UPDATE audit SET ") + edit + " WHERE id = 2"});
        assert_bad(d, 2, 2, "row 2 was changed");
    }
}

void a_deleted_row_is_missed_by_the_next(void**) {
    StoreDir d;
    append_rows(d, 4);
    tamper(d, {"DELETE FROM audit WHERE id = 2"});
    assert_bad(d, 3, 2, "row 3 does not follow row 1: a row is missing");

    StoreDir several;
    append_rows(several, 6);
    tamper(several, {"DELETE FROM audit WHERE id BETWEEN 3 AND 5"});
    assert_bad(several, 6, 3, "row 6 does not follow row 2: 3 rows are missing");

    StoreDir first;
    append_rows(first, 3);
    tamper(first, {"DELETE FROM audit WHERE id = 1"});
    assert_bad(first, 2, 1, "row 2 does not follow the start of the log: a row is missing");
}

// A row replayed (a copy of row 2 put after it, the later rows moved up):
// its own hash holds, its link does not.
void an_inserted_row_is_named(void**) {
    StoreDir d;
    append_rows(d, 4);
    tamper(d, {"UPDATE audit SET id = id + 100 WHERE id > 2", "UPDATE audit SET id = id - 99 WHERE id > 100",
               std::string("INSERT INTO audit (") + kColumns + ") SELECT 3" +
                   std::string(kColumns).substr(2) + " FROM audit WHERE id = 2"});
    assert_string_equal(d.sql("SELECT count(*) FROM audit").c_str(), "5");
    assert_bad(d, 3, 3, "row 3 is out of order or inserted: it does not follow row 2");

    // Before the first row, too.
    StoreDir before;
    append_rows(before, 2);
    tamper(before, {std::string("INSERT INTO audit (") + kColumns + ") SELECT 0" +
                    std::string(kColumns).substr(2) + " FROM audit WHERE id = 2"});
    assert_bad(before, 0, 1, "row 0 is out of order or inserted: it does not follow the start of the log");
}

void reordered_rows_are_named(void**) {
    StoreDir d;
    append_rows(d, 4);
    tamper(d, {"UPDATE audit SET id = -1 WHERE id = 2", "UPDATE audit SET id = 2 WHERE id = 3",
               "UPDATE audit SET id = 3 WHERE id = -1"});
    assert_bad(d, 2, 2, "row 2 is out of order or inserted: it does not follow row 1");
}

// A long log, cut into ranges: rows on either side of a range's edge (5000
// and 5001 for two threads), and links across it, are checked like any
// other, and the first bad row is named even when a later range fails too.
void long_logs_are_checked_across_ranges(void**) {
    constexpr int kRows = 10000;
    StoreDir d;
    append_many(d, kRows);
    {
        Store store = d.open();
        assert_int_equal(assert_audit_intact(store), kRows);
    }
    for (int row : {1, 2500, 5000, 5001, 6667, kRows}) {
        StoreDir edited;
        append_many(edited, kRows);
        tamper(edited, {"UPDATE audit SET detail = 'x' WHERE id = " + std::to_string(row)});
        const std::string problem = "row " + std::to_string(row) + " was changed";
        assert_bad(edited, row, static_cast<std::uint64_t>(row), problem.c_str());
    }
    StoreDir deleted;
    append_many(deleted, kRows);
    tamper(deleted, {"DELETE FROM audit WHERE id = 5001"});
    assert_bad(deleted, 5002, 5001, "row 5002 does not follow row 5000: a row is missing");
    // Two bad rows: the first one is named (the walk stops there).
    StoreDir twice;
    append_many(twice, kRows);
    tamper(twice, {"UPDATE audit SET outcome = 'x' WHERE id = 9000", "UPDATE audit SET outcome = 'x' WHERE id = 10"});
    assert_bad(twice, 10, 10, "row 10 was changed");
}

// Ids are not in the hash, but ListAudit and the journal name rows by id.
void renumbered_rows_are_named(void**) {
    StoreDir d;
    append_rows(d, 4);
    tamper(d, {"UPDATE audit SET id = id + 10 WHERE id >= 3"});
    assert_bad(d, 13, 3, "row 13 follows row 2 in the chain: the rows were renumbered");
}

// The limit docs/decisions/audit-log.md states: a chain cannot show that its
// last rows were removed. The journal's anchors of each row are the witness.
void rows_removed_from_the_end_do_not_show_in_the_chain(void**) {
    StoreDir d;
    append_rows(d, 4);
    tamper(d, {"DELETE FROM audit WHERE id >= 3"});
    const AuditVerification found = verify(d);
    assert_true(found.intact);
    assert_int_equal(found.rows_checked, 2);
}

// No code path (and no stray SQL) rewrites the log: the schema refuses it.
void rows_are_append_only(void**) {
    StoreDir d;
    append_rows(d, 3);
    assert_true(d.sql_fails("UPDATE audit SET outcome = 'failed' WHERE id = 2"));
    assert_true(d.sql_fails("DELETE FROM audit WHERE id = 3"));
    assert_string_equal(d.sql("SELECT count(*) FROM audit").c_str(), "3");
    Store store = d.open();
    assert_int_equal(assert_audit_intact(store), 3);
}

// Negative ids all mean "unknown" and are stored as -1.
void unknown_ids_are_minus_one(void**) {
    StoreDir d;
    Store store = d.open();
    AuditRecord r = record("flow.start");
    r.app_uid = -7;
    r.login_uid = -1;
    ok_value(store.append_audit(r));
    auto rows = ok_value(store.list_audit(1));
    assert_int_equal(rows[0].record.app_uid, -1);
    assert_audit_intact(store);
}

}  // namespace

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(rows_keep_every_field),
        cmocka_unit_test(append_says_where_the_row_landed),
        cmocka_unit_test(an_untouched_log_says_how_many_rows_it_checked),
        cmocka_unit_test(an_edited_row_is_named),
        cmocka_unit_test(the_chain_covers_the_invoking_user),
        cmocka_unit_test(a_deleted_row_is_missed_by_the_next),
        cmocka_unit_test(an_inserted_row_is_named),
        cmocka_unit_test(reordered_rows_are_named),
        cmocka_unit_test(renumbered_rows_are_named),
        cmocka_unit_test(long_logs_are_checked_across_ranges),
        cmocka_unit_test(rows_removed_from_the_end_do_not_show_in_the_chain),
        cmocka_unit_test(rows_are_append_only),
        cmocka_unit_test(unknown_ids_are_minus_one),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
