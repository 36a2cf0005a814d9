// Unit tests for the password-check throttle (EnrollRecoveryCodes checks the
// caller's current password: without a limit it is a password oracle) and
// for coalescing repeated denials in the audit log.
#include "tests/unit/test_store_fixture.h"

#include <vector>

using namespace recoveryd;

namespace {

constexpr std::int64_t kUid = 1000, kOther = 1001;

// 10 s after the first failure, 20 s after the second...
std::int64_t ten_per_failure(std::uint32_t failures) { return 10 * static_cast<std::int64_t>(failures); }

PasswordCheckGate begin(Store& store, std::int64_t uid, std::int64_t now) {
    return ok_value(store.begin_password_check(uid, now, ten_per_failure));
}

void each_check_counts_as_a_failure_until_it_succeeds(void**) {
    StoreDir d;
    Store store = d.open();
    PasswordCheckGate gate = begin(store, kUid, 100);
    assert_true(gate.allowed);
    assert_int_equal(gate.failures, 1);
    // Recorded before the caller checked anything: a second check right away waits.
    gate = begin(store, kUid, 100);
    assert_false(gate.allowed);
    assert_int_equal(gate.retry_after, 10);
    assert_int_equal(gate.failures, 1);
    gate = begin(store, kUid, 109);
    assert_false(gate.allowed);
    assert_int_equal(gate.retry_after, 1);
    gate = begin(store, kUid, 110);
    assert_true(gate.allowed);
    assert_int_equal(gate.failures, 2);
    gate = begin(store, kUid, 125);  // the wait grows: 20 s after 110
    assert_false(gate.allowed);
    assert_int_equal(gate.retry_after, 5);

    assert_ok(store.password_check_succeeded(kUid));
    gate = begin(store, kUid, 125);
    assert_true(gate.allowed);
    assert_int_equal(gate.failures, 1);
}

// The wait is counted from the last allowed check, not from denied attempts.
void a_denied_check_changes_nothing(void**) {
    StoreDir d;
    Store store = d.open();
    assert_true(begin(store, kUid, 100).allowed);
    for (std::int64_t now = 100; now < 110; ++now)
        assert_false(begin(store, kUid, now).allowed);
    assert_true(begin(store, kUid, 110).allowed);
}

void wait_after_gets_the_recorded_failures(void**) {
    StoreDir d;
    Store store = d.open();
    std::vector<std::uint32_t> asked;
    auto record_and_wait = [&asked](std::uint32_t failures) {
        asked.push_back(failures);
        return std::int64_t{0};
    };
    for (int i = 0; i < 3; ++i)
        assert_true(ok_value(store.begin_password_check(kUid, 100, record_and_wait)).allowed);
    assert_int_equal(asked.size(), 2);  // not asked when there were no failures
    assert_int_equal(asked[0], 1);
    assert_int_equal(asked[1], 2);
}

// A clock moved back never lengthens the wait (the check is allowed, and
// recorded at the new time).
void a_clock_moved_back_does_not_extend_the_wait(void**) {
    StoreDir d;
    Store store = d.open();
    auto an_hour = [](std::uint32_t) { return std::int64_t{3600}; };
    assert_true(ok_value(store.begin_password_check(kUid, 10000, an_hour)).allowed);
    const PasswordCheckGate back = ok_value(store.begin_password_check(kUid, 500, an_hour));
    assert_true(back.allowed);
    assert_int_equal(back.failures, 2);
    const PasswordCheckGate then = ok_value(store.begin_password_check(kUid, 600, an_hour));
    assert_false(then.allowed);
    assert_int_equal(then.retry_after, 3500);
}

void failures_belong_to_one_uid(void**) {
    StoreDir d;
    Store store = d.open();
    assert_true(begin(store, kUid, 100).allowed);
    assert_true(begin(store, kOther, 100).allowed);
    assert_false(begin(store, kUid, 100).allowed);
    assert_ok(store.password_check_succeeded(kOther));
    assert_false(begin(store, kUid, 100).allowed);
    assert_false(store.begin_password_check(-1, 100, ten_per_failure).ok());
}

// The count survives the daemon: it lives in the store.
void failures_survive_a_restart(void**) {
    StoreDir d;
    {
        Store store = d.open();
        assert_true(begin(store, kUid, 100).allowed);
    }
    Store store = d.open();
    assert_false(begin(store, kUid, 105).allowed);
}

DenialWindow deny(Store& store, std::int64_t uid, std::int64_t now) {
    return ok_value(store.note_denial(uid, now, 60));
}

void denials_get_one_row_per_window(void**) {
    StoreDir d;
    Store store = d.open();
    DenialWindow first = deny(store, kUid, 1000);
    assert_true(first.write_row);
    assert_int_equal(first.coalesced, 0);
    assert_int_equal(first.since, 0);
    for (std::int64_t now : {1000, 1010, 1059})
        assert_false(deny(store, kUid, now).write_row);
    assert_true(deny(store, kOther, 1010).write_row);  // another uid has its own window

    const DenialWindow next = deny(store, kUid, 1060);
    assert_true(next.write_row);
    assert_int_equal(next.coalesced, 3);
    assert_int_equal(next.since, 1000);
    assert_false(deny(store, kUid, 1061).write_row);
    const DenialWindow quiet = deny(store, kUid, 5000);
    assert_true(quiet.write_row);
    assert_int_equal(quiet.coalesced, 1);
    assert_int_equal(quiet.since, 1060);
}

// A clock moved back ends the window (a row is written) instead of making
// it last until the clock catches up again.
void a_clock_moved_back_does_not_stretch_a_window(void**) {
    StoreDir d;
    Store store = d.open();
    assert_true(deny(store, kUid, 1000).write_row);
    assert_false(deny(store, kUid, 1001).write_row);
    const DenialWindow back = deny(store, kUid, 100);
    assert_true(back.write_row);
    assert_int_equal(back.coalesced, 1);
    assert_int_equal(back.since, 1000);
    assert_false(deny(store, kUid, 159).write_row);
    assert_true(deny(store, kUid, 160).write_row);
}

}  // namespace

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(each_check_counts_as_a_failure_until_it_succeeds),
        cmocka_unit_test(a_denied_check_changes_nothing),
        cmocka_unit_test(wait_after_gets_the_recorded_failures),
        cmocka_unit_test(a_clock_moved_back_does_not_extend_the_wait),
        cmocka_unit_test(failures_belong_to_one_uid),
        cmocka_unit_test(failures_survive_a_restart),
        cmocka_unit_test(denials_get_one_row_per_window),
        cmocka_unit_test(a_clock_moved_back_does_not_stretch_a_window),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
