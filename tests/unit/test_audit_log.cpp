// Unit tests for the audit log: it fails closed, is safe from several
// threads; its journal entry carries the event's MESSAGE_ID, the row's
// anchor (id and chain hash) and names the invoking user only when known;
// the stderr line that stands in for the journal stays one line whatever
// was typed.
#include "tests/unit/test_store_fixture.h"

#include <algorithm>
#include <cstring>
#include <atomic>
#include <thread>
#include <vector>

#include "daemon/audit/AuditLog.h"
#include "daemon/audit/MessageIds.h"

using namespace recoveryd;

namespace {

AuditRecord decision() {
    AuditRecord r{};
    r.actor = "pam:su";
    r.target_user = "alice";
    r.service = "su";
    r.action = "flow.start";
    r.outcome = "ok";
    return r;
}

bool has(const std::vector<std::string>& fields, const std::string& field) {
    return std::find(fields.begin(), fields.end(), field) != fields.end();
}

const AuditAnchor kAnchor{17, hash_parts({"an anchor"})};

std::string hex(const Digest& digest) {
    static const char digits[] = "0123456789abcdef";
    std::string out;
    for (std::uint8_t byte : digest) {
        out += digits[byte >> 4];
        out += digits[byte & 0xf];
    }
    return out;
}

bool has_name(const std::vector<std::string>& fields, const std::string& name) {
    return std::any_of(fields.begin(), fields.end(),
                       [&name](const std::string& field) { return field.starts_with(name + "="); });
}

void the_journal_names_the_invoking_user_when_known(void**) {
    AuditRecord r = decision();
    r.ruser = "bob";
    r.app_uid = 1001;
    r.login_uid = 1002;
    const auto known = journal_fields(r, kAnchor);
    assert_true(has(known, "RECOVERYD_RUSER=bob"));
    assert_true(has(known, "RECOVERYD_APP_UID=1001"));
    assert_true(has(known, "RECOVERYD_LOGIN_UID=1002"));
    assert_true(has(known, "RECOVERYD_ACTION=flow.start"));
    assert_true(has(known, "RECOVERYD_USER=alice"));

    r.login_uid = 0;  // root is known, not absent
    assert_true(has(journal_fields(r, kAnchor), "RECOVERYD_LOGIN_UID=0"));

    const auto unknown = journal_fields(decision(), kAnchor);
    assert_false(has_name(unknown, "RECOVERYD_RUSER"));
    assert_false(has_name(unknown, "RECOVERYD_APP_UID"));
    assert_false(has_name(unknown, "RECOVERYD_LOGIN_UID"));
}

void the_journal_entry_has_the_events_id_and_the_rows_anchor(void**) {
    AuditRecord r = decision();
    r.detail = "request K7Q-4MZ";
    const auto fields = journal_fields(r, kAnchor);
    // journal/recoveryd.catalog's entry for flow.start.
    assert_true(has(fields, "MESSAGE_ID=ea32097e46d04727aa85c8ea4bb48eec"));
    assert_true(has(fields, "RECOVERYD_AUDIT_ROW=17"));
    assert_true(has(fields, "RECOVERYD_AUDIT_HASH=" + hex(kAnchor.hash)));
    assert_true(has(fields, "RECOVERYD_OUTCOME=ok"));
    assert_true(has(fields, "RECOVERYD_ACTOR=pam:su"));
    assert_true(has(fields, "RECOVERYD_SERVICE=su"));
    assert_true(has(fields, "RECOVERYD_DETAIL=request K7Q-4MZ"));
    assert_true(has(fields, "SYSLOG_IDENTIFIER=recoveryd"));

    // An action the catalog does not know gets no made-up id.
    r.action = "no.such-action";
    assert_false(has_name(journal_fields(r, kAnchor), "MESSAGE_ID"));
}

// Where no journal listens, one line each: a typed name cannot end it,
// start a line that looks like another entry, or drive the terminal.
void the_stderr_line_stays_one_line(void**) {
    AuditRecord r = decision();
    r.target_user = "eve\nrecoveryd: audit: row 18 \"password.rotate\" \"ok\"";
    r.detail = "tab\there \x1b[2J and a \"quote\"";
    const std::string line = fallback_line(r, kAnchor);
    assert_true(line.starts_with("recoveryd: audit: row 17 \"flow.start\" \"ok\" "));
    assert_true(line.ends_with(" hash=" + hex(kAnchor.hash) + "\n"));
    assert_int_equal(std::count(line.begin(), line.end(), '\n'), 1);
    assert_int_equal(std::count(line.begin(), line.end(), '\x1b'), 0);
    assert_non_null(std::strstr(line.c_str(), "user=\"eve\\nrecoveryd: audit: row 18 \\\"password.rotate\\\""));
    assert_non_null(std::strstr(line.c_str(), "detail=\"tab\\there \\u{001B}[2J and a \\\"quote\\\"\""));
    assert_non_null(std::strstr(line.c_str(), " actor=\"pam:su\" service=\"su\" "));
}

void a_record_lands_in_the_store_with_its_time(void**) {
    StoreDir d;
    Store store = d.open();
    AuditLog log(store);
    AuditRecord r = decision();
    r.ruser = "bob";
    r.login_uid = 1001;
    assert_ok(log.record(r));
    auto rows = ok_value(store.list_audit(1));
    assert_int_equal(rows.size(), 1);
    assert_true(rows[0].record.time > 0);  // filled in when 0
    assert_string_equal(rows[0].record.ruser.c_str(), "bob");
    assert_int_equal(rows[0].record.login_uid, 1001);
    assert_int_equal(rows[0].record.app_uid, -1);
}

// When the row cannot be written the caller learns it (and must refuse).
void a_record_that_cannot_be_stored_fails(void**) {
    StoreDir d;
    Store store = d.open();
    AuditLog log(store);
    AuditRecord r = decision();
    r.action.clear();  // the schema refuses a row without an action
    assert_false(log.record(r).ok());
    assert_string_equal(d.sql("SELECT count(*) FROM audit").c_str(), "0");
}

void records_from_many_threads_keep_the_chain(void**) {
    StoreDir d;
    Store store = d.open();
    AuditLog log(store);
    constexpr int kThreads = 6, kEach = 30;
    std::atomic<int> errors{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t)
        threads.emplace_back([&log, &errors, t] {
            for (int i = 0; i < kEach; ++i) {
                AuditRecord r = decision();
                r.app_uid = t;
                if (!log.record(r).ok())
                    ++errors;
            }
        });
    for (std::thread& thread : threads)
        thread.join();
    assert_int_equal(errors.load(), 0);
    assert_int_equal(assert_audit_intact(store), kThreads * kEach);
}

}  // namespace

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_journal_names_the_invoking_user_when_known),
        cmocka_unit_test(the_journal_entry_has_the_events_id_and_the_rows_anchor),
        cmocka_unit_test(the_stderr_line_stays_one_line),
        cmocka_unit_test(a_record_lands_in_the_store_with_its_time),
        cmocka_unit_test(a_record_that_cannot_be_stored_fails),
        cmocka_unit_test(records_from_many_threads_keep_the_chain),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
