// AdminService::verify_audit over real parts: it reports what the walk of
// the chain found, writes the audit.verify row with that outcome after the
// walk, and lets one walk run at a time.

#include "tests/unit/DaemonFixture.h"

#include <chrono>
#include <cstring>
#include <future>
#include <optional>
#include <vector>

#include "daemon/admin/AdminService.h"

using namespace recoveryd;
using namespace recoveryd::test;

namespace {

const Administrator kRoot{0, "root"};

Result<Policy> load_for_test() { return Policy{}; }

void append(World& w, int count) {
    for (int i = 0; i < count; ++i) {
        AuditRecord r{};
        r.actor = "pam:login";
        r.action = "flow.start";
        r.outcome = "ok";
        assert_true(w.audit->record(r).ok());
    }
}

AuditRow last_row(World& w) {
    auto rows = w.store->list_audit(1);
    assert_true(rows.ok() && rows->size() == 1);
    return rows->front();
}

// Run beside the store, as an attacker who can write the file would.
void run_sql(World& w, const char* statement) {
    auto db = Database::open((w.dir / "recoveryd.db").string(), false);
    assert_true(db.ok());
    assert_true(db->exec(statement).ok());
}

void an_intact_log_is_reported_and_the_check_audited(void** state) {
    auto& w = *static_cast<World*>(*state);
    AdminService admin(*w.services, load_for_test);
    append(w, 4);
    auto verified = admin.verify_audit(kRoot);
    assert_true(verified.ok());
    assert_true(verified->intact);
    assert_int_equal(verified->rows_checked, 4);
    const AuditRow row = last_row(w);  // written after the walk: not counted in it
    assert_int_equal(row.id, 5);
    assert_string_equal(row.record.action.c_str(), "audit.verify");
    assert_string_equal(row.record.outcome.c_str(), "ok");
    assert_string_equal(row.record.actor.c_str(), "uid:0 (root)");
    assert_string_equal(row.record.detail.c_str(), "4 row(s) checked");
}

void a_tampered_log_names_the_row_in_the_answer_and_the_audit_row(void** state) {
    auto& w = *static_cast<World*>(*state);
    AdminService admin(*w.services, load_for_test);
    append(w, 4);
    run_sql(w, "DROP TRIGGER audit_no_update");
    run_sql(w, "UPDATE audit SET outcome = 'denied' WHERE id = 3");
    auto verified = admin.verify_audit(kRoot);
    assert_true(verified.ok());
    assert_false(verified->intact);
    assert_int_equal(verified->first_bad_row, 3);
    assert_string_equal(verified->problem.c_str(), "row 3 was changed");
    const AuditRow row = last_row(w);
    assert_string_equal(row.record.action.c_str(), "audit.verify");
    assert_string_equal(row.record.outcome.c_str(), "failed");
    assert_string_equal(row.record.detail.c_str(), "row 3 was changed");
}

// A walk of a long log keeps a worker busy for seconds, and logins share
// the workers: a second call meanwhile is refused at once. Here another
// connection holds the write lock, so the first call, its walk done, waits
// (up to the store's 5 s busy timeout) to write its audit row, still
// holding the right to walk when the second call comes; both calls are
// made at once, well within that bound.
void one_walk_at_a_time(void** state) {
    auto& w = *static_cast<World*>(*state);
    AdminService admin(*w.services, load_for_test);
    append(w, 2);
    std::optional<Database> holder;
    {
        auto opened = Database::open((w.dir / "recoveryd.db").string(), false);
        assert_true(opened.ok());
        holder.emplace(std::move(*opened));
    }
    assert_true(holder->exec("BEGIN IMMEDIATE").ok());
    auto first = std::async(std::launch::async, [&] { return admin.verify_audit(kRoot); });
    auto second = std::async(std::launch::async, [&] { return admin.verify_audit(kRoot); });
    std::vector<Result<AuditVerification>> results;
    results.push_back(first.get());
    results.push_back(second.get());
    int refused = 0;
    for (const auto& result : results) {
        if (result.ok())
            fail_msg("a verification was recorded while the database was held: the test did not hold it");
        refused += std::strstr(result.error().message.c_str(), "being verified already") != nullptr;
    }
    assert_int_equal(refused, 1);
    for (const auto& result : results)
        assert_int_equal(static_cast<int>(result.error().code), static_cast<int>(ErrorCode::Unavailable));

    holder.reset();  // the lock goes with the connection
    // A walk that failed let go too: the next one runs.
    auto again = admin.verify_audit(kRoot);
    if (!again.ok())
        fail_msg("%s", again.error().message.c_str());
    assert_true(again->intact);
}

}  // namespace

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(an_intact_log_is_reported_and_the_check_audited, set_up, tear_down),
        cmocka_unit_test_setup_teardown(a_tampered_log_names_the_row_in_the_answer_and_the_audit_row, set_up,
                                        tear_down),
        cmocka_unit_test_setup_teardown(one_walk_at_a_time, set_up, tear_down),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
