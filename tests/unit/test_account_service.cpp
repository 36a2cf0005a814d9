// AccountService: enrollment re-checks the current password and the policy
// before it replaces anything.

#include "tests/unit/DaemonFixture.h"

#include <cstring>
#include <string>

#include "daemon/account/AccountService.h"
#include "daemon/users/UserDatabase.h"

using namespace recoveryd;
using namespace recoveryd::test;

namespace {

constexpr uid_t kRoot = 0;

std::size_t audit_rows(World& w, const std::string& action, const std::string& outcome) {
    auto rows = w.store->list_audit(100000);
    assert_true(rows.ok());
    std::size_t count = 0;
    for (const AuditRow& row : *rows)
        count += row.record.action == action && row.record.outcome == outcome;
    return count;
}

void enrollment_returns_ten_codes_and_status_counts_them(void** state) {
    auto& w = *static_cast<World*>(*state);
    AccountService accounts(*w.services);
    auto codes = accounts.enroll_recovery_codes(kRoot, Secret(kOldPassword));
    assert_true(codes.ok());
    assert_int_equal(codes->size(), 10);
    auto status = accounts.status(kRoot);
    assert_true(status.ok());
    assert_string_equal(status->user.c_str(), "root");
    assert_int_equal(status->recovery_codes_remaining, 10);
    assert_true(status->recovery_codes_enrolled_at > 0);
}

void enrollment_needs_the_current_password(void** state) {
    auto& w = *static_cast<World*>(*state);
    AccountService accounts(*w.services);
    auto refused = accounts.enroll_recovery_codes(kRoot, Secret("not the password"));
    assert_false(refused.ok());
    assert_int_equal(static_cast<int>(refused.error().code), static_cast<int>(ErrorCode::WrongPassword));
    auto status = accounts.status(kRoot);
    assert_true(status.ok());
    assert_int_equal(status->recovery_codes_remaining, 0);
}

void enrollment_refused_when_policy_excludes_the_account(void** state) {
    auto& w = *static_cast<World*>(*state);
    w.policy.allow_root = false;
    w.apply_policy();
    AccountService accounts(*w.services);
    auto refused = accounts.enroll_recovery_codes(kRoot, Secret(kOldPassword));
    assert_false(refused.ok());
    assert_int_equal(static_cast<int>(refused.error().code), static_cast<int>(ErrorCode::AccessDenied));
}

void re_enrolling_replaces_the_old_set(void** state) {
    auto& w = *static_cast<World*>(*state);
    AccountService accounts(*w.services);
    auto first = accounts.enroll_recovery_codes(kRoot, Secret(kOldPassword));
    auto second = accounts.enroll_recovery_codes(kRoot, Secret(kOldPassword));
    assert_true(first.ok() && second.ok());
    auto status = accounts.status(kRoot);
    assert_int_equal(status->recovery_codes_remaining, 10);
    for (const Secret& old_code : *first)
        for (const Secret& new_code : *second)
            assert_false(old_code.view() == new_code.view());
}

// The password check is rate limited per uid: after a wrong password the
// next check waits, and is refused without looking at the password, even a
// right one.
void wrong_password_makes_the_next_check_wait(void** state) {
    auto& w = *static_cast<World*>(*state);
    AccountService accounts(*w.services);
    auto wrong = accounts.enroll_recovery_codes(kRoot, Secret("not the password"));
    assert_false(wrong.ok());
    assert_int_equal(static_cast<int>(wrong.error().code), static_cast<int>(ErrorCode::WrongPassword));
    auto waiting = accounts.enroll_recovery_codes(kRoot, Secret(kOldPassword));
    assert_false(waiting.ok());
    assert_int_equal(static_cast<int>(waiting.error().code), static_cast<int>(ErrorCode::Unavailable));
    assert_non_null(strstr(waiting.error().message.c_str(), "try again in"));
    assert_int_equal(accounts.status(kRoot)->recovery_codes_remaining, 0);
}

void waits_grow_and_are_bounded(void**) {
    assert_int_equal(AccountService::wait_after(0), 0);
    assert_int_equal(AccountService::wait_after(1), 2);
    assert_int_equal(AccountService::wait_after(2), 4);
    assert_int_equal(AccountService::wait_after(5), 32);
    assert_int_equal(AccountService::wait_after(11), 2048);
    assert_int_equal(AccountService::wait_after(12), 3600);
    assert_int_equal(AccountService::wait_after(4000000000U), 3600);
}

// Denials of one uid share one audit row per window: failing on purpose
// cannot grow the log without bound.
void denials_are_coalesced_in_the_audit_log(void** state) {
    auto& w = *static_cast<World*>(*state);
    AccountService accounts(*w.services);
    for (int i = 0; i < 20; ++i)
        assert_false(accounts.enroll_recovery_codes(kRoot, Secret("not the password")).ok());
    assert_int_equal(audit_rows(w, "enroll.recovery-codes", "denied"), 1);
}

}  // namespace

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(enrollment_returns_ten_codes_and_status_counts_them, set_up, tear_down),
        cmocka_unit_test_setup_teardown(enrollment_needs_the_current_password, set_up, tear_down),
        cmocka_unit_test_setup_teardown(enrollment_refused_when_policy_excludes_the_account, set_up, tear_down),
        cmocka_unit_test_setup_teardown(re_enrolling_replaces_the_old_set, set_up, tear_down),
        cmocka_unit_test_setup_teardown(wrong_password_makes_the_next_check_wait, set_up, tear_down),
        cmocka_unit_test(waits_grow_and_are_bounded),
        cmocka_unit_test_setup_teardown(denials_are_coalesced_in_the_audit_log, set_up, tear_down),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
