// Unit tests for methods bound to the account: an enrollment belongs to a
// name and a uid; a name reused by another uid retires it; forgetting a
// user; no copy of a deleted code left in the database or its WAL.
#include "tests/unit/test_store_fixture.h"

using namespace recoveryd;

namespace {

constexpr std::int64_t kOldAlice = 1000, kNewAlice = 1500, kBob = 1001, kNoAccount = -1;

void a_reused_name_retires_the_old_accounts_codes(void**) {
    StoreDir d;
    Store store = d.open();
    assert_true(store.replace_recovery_codes("alice", kOldAlice, {test_digest("a1"), test_digest("a2")}, 1).ok());
    assert_true(store.replace_recovery_codes("bob", kBob, {test_digest("b1")}, 1).ok());

    // userdel alice; useradd -u 1500 alice: the old codes do not work and are retired.
    const CodeCheck check = ok_value(store.consume_recovery_code(attempt_by("alice"), kNewAlice, test_digest("a1")));
    assert_false(check.consumed);
    assert_int_equal(check.enrollment_id, 0);
    assert_int_equal(check.retired, 1);
    assert_string_equal(d.sql("SELECT count(*) FROM enrollments WHERE user = 'alice'").c_str(), "0");
    assert_string_equal(d.sql("SELECT count(*) FROM recovery_codes").c_str(), "1");  // bob's
    // Retired for good: even the old uid cannot use them now.
    assert_false(ok_value(store.consume_recovery_code(attempt_by("alice"), kOldAlice, test_digest("a2"))).consumed);
    assert_int_equal(ok_value(store.recovery_code_status("bob", kBob)).remaining, 1);
}

void a_name_without_account_matches_and_retires_nothing(void**) {
    StoreDir d;
    Store store = d.open();
    assert_true(store.replace_recovery_codes("alice", kOldAlice, {test_digest("a1")}, 1).ok());
    const CodeCheck check = ok_value(store.consume_recovery_code(attempt_by("alice"), kNoAccount, test_digest("a1")));
    assert_false(check.consumed);
    assert_int_equal(check.retired, 0);
    assert_int_equal(ok_value(store.recovery_code_status("alice", kOldAlice)).remaining, 1);
    assert_int_equal(ok_value(store.recovery_code_status("alice", kNoAccount)).enrolled_at, 0);
}

void status_counts_only_the_enrollment_of_that_uid(void**) {
    StoreDir d;
    Store store = d.open();
    assert_true(store.replace_recovery_codes("alice", kOldAlice, {test_digest("a1"), test_digest("a2")}, 77).ok());
    const RecoveryCodeStatus other = ok_value(store.recovery_code_status("alice", kNewAlice));
    assert_int_equal(other.remaining, 0);
    assert_int_equal(other.enrolled_at, 0);
    const RecoveryCodeStatus own = ok_value(store.recovery_code_status("alice", kOldAlice));
    assert_int_equal(own.remaining, 2);
    assert_int_equal(own.enrolled_at, 77);
}

void replacing_drops_the_earlier_enrollment_of_any_uid(void**) {
    StoreDir d;
    Store store = d.open();
    const std::int64_t old_id = ok_value(store.replace_recovery_codes("alice", kOldAlice, {test_digest("a1")}, 1));
    const std::int64_t new_id = ok_value(store.replace_recovery_codes("alice", kNewAlice, {test_digest("n1")}, 2));
    assert_true(old_id > 0 && new_id > 0 && new_id != old_id);
    assert_int_equal(ok_value(store.recovery_code_status("alice", kOldAlice)).remaining, 0);
    assert_false(ok_value(store.consume_recovery_code(attempt_by("alice"), kNewAlice, test_digest("a1"))).consumed);
    const CodeCheck check = ok_value(store.consume_recovery_code(attempt_by("alice"), kNewAlice, test_digest("n1")));
    assert_true(check.consumed);
    assert_int_equal(check.enrollment_id, new_id);
    assert_int_equal(check.retired, 0);
}

void enrolling_needs_an_account(void**) {
    StoreDir d;
    Store store = d.open();
    auto refused = store.replace_recovery_codes("alice", kNoAccount, {test_digest("a1")}, 1);
    assert_false(refused.ok());
    assert_int_equal(static_cast<int>(refused.error().code), static_cast<int>(ErrorCode::InvalidArgument));
    assert_string_equal(d.sql("SELECT count(*) FROM enrollments").c_str(), "0");
}

void forgetting_a_user_deletes_every_enrollment_of_the_name(void**) {
    StoreDir d;
    Store store = d.open();
    assert_true(store.replace_recovery_codes("alice", kOldAlice, {test_digest("a1")}, 1).ok());
    assert_true(store.replace_recovery_codes("bob", kBob, {test_digest("b1")}, 1).ok());
    // A second method of alice's, bound to another uid: forgotten as well.
    d.sql("INSERT INTO enrollments (user, uid, method, enrolled_at) VALUES ('alice', 1500, 'totp', 1)");
    assert_int_equal(ok_value(store.forget_user("alice")), 2);
    assert_string_equal(d.sql("SELECT count(*) FROM enrollments WHERE user = 'alice'").c_str(), "0");
    assert_string_equal(d.sql("SELECT count(*) FROM recovery_codes").c_str(), "1");
    assert_int_equal(ok_value(store.recovery_code_status("bob", kBob)).remaining, 1);
    assert_int_equal(ok_value(store.forget_user("alice")), 0);
}

// secure_delete zeroes the deleted row, and the checkpoint after the commit
// removes the WAL's older copies: the hash is nowhere in the files while the
// daemon still runs. Each deletion is checked on its own (a later checkpoint
// would hide a missing one); a code still enrolled shows the search works.
enum class Deletion { Consume, Replace, Forget };

void assert_no_copy_left_after(Deletion deletion) {
    StoreDir d;
    Store store = d.open();
    const Digest gone = test_digest("gone"), kept = test_digest("kept");
    assert_true(store.replace_recovery_codes("alice", kOldAlice, {gone}, 1).ok());
    assert_true(store.replace_recovery_codes("bob", kBob, {kept}, 1).ok());
    switch (deletion) {
    case Deletion::Consume:
        assert_true(ok_value(store.consume_recovery_code(attempt_by("alice"), kOldAlice, gone)).consumed);
        break;
    case Deletion::Replace:
        assert_true(store.replace_recovery_codes("alice", kOldAlice, {test_digest("new")}, 2).ok());
        break;
    case Deletion::Forget:
        assert_int_equal(ok_value(store.forget_user("alice")), 1);
        break;
    }
    const std::string files = d.bytes() + d.wal_bytes();
    assert_true(contains(files, kept));
    assert_false(contains(files, gone));
}

void a_consumed_code_leaves_no_copy_on_disk(void**) { assert_no_copy_left_after(Deletion::Consume); }
void a_replaced_code_leaves_no_copy_on_disk(void**) { assert_no_copy_left_after(Deletion::Replace); }
void a_forgotten_code_leaves_no_copy_on_disk(void**) { assert_no_copy_left_after(Deletion::Forget); }

}  // namespace

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_reused_name_retires_the_old_accounts_codes),
        cmocka_unit_test(a_name_without_account_matches_and_retires_nothing),
        cmocka_unit_test(status_counts_only_the_enrollment_of_that_uid),
        cmocka_unit_test(replacing_drops_the_earlier_enrollment_of_any_uid),
        cmocka_unit_test(enrolling_needs_an_account),
        cmocka_unit_test(forgetting_a_user_deletes_every_enrollment_of_the_name),
        cmocka_unit_test(a_consumed_code_leaves_no_copy_on_disk),
        cmocka_unit_test(a_replaced_code_leaves_no_copy_on_disk),
        cmocka_unit_test(a_forgotten_code_leaves_no_copy_on_disk),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
