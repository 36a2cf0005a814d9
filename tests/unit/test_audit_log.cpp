// Unit tests for the audit log: it fails closed, is safe from several
// threads, and its journal entry names the invoking user only when known.
#include "tests/unit/test_store_fixture.h"

#include <algorithm>
#include <atomic>
#include <thread>
#include <vector>

#include "daemon/audit/AuditLog.h"

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

bool has_name(const std::vector<std::string>& fields, const std::string& name) {
    return std::any_of(fields.begin(), fields.end(),
                       [&name](const std::string& field) { return field.starts_with(name + "="); });
}

void the_journal_names_the_invoking_user_when_known(void**) {
    AuditRecord r = decision();
    r.ruser = "bob";
    r.app_uid = 1001;
    r.login_uid = 1002;
    const auto known = journal_fields(r);
    assert_true(has(known, "RECOVERYD_RUSER=bob"));
    assert_true(has(known, "RECOVERYD_APP_UID=1001"));
    assert_true(has(known, "RECOVERYD_LOGIN_UID=1002"));
    assert_true(has(known, "RECOVERYD_ACTION=flow.start"));
    assert_true(has(known, "RECOVERYD_USER=alice"));

    r.login_uid = 0;  // root is known, not absent
    assert_true(has(journal_fields(r), "RECOVERYD_LOGIN_UID=0"));

    const auto unknown = journal_fields(decision());
    assert_false(has_name(unknown, "RECOVERYD_RUSER"));
    assert_false(has_name(unknown, "RECOVERYD_APP_UID"));
    assert_false(has_name(unknown, "RECOVERYD_LOGIN_UID"));
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
        cmocka_unit_test(a_record_lands_in_the_store_with_its_time),
        cmocka_unit_test(a_record_that_cannot_be_stored_fails),
        cmocka_unit_test(records_from_many_threads_keep_the_chain),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
