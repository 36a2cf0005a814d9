// AccountService: enrollment re-checks the current password and the policy
// before it replaces anything.

#include "tests/unit/DaemonFixture.h"

#include "daemon/account/AccountService.h"
#include "daemon/users/UserDatabase.h"

using namespace recoveryd;
using namespace recoveryd::test;

namespace {

UserRecord root_record() {
    auto root = find_user_by_name("root");
    assert_true(root.ok());
    return root.value();
}

void enrollment_returns_ten_codes_and_status_counts_them(void** state) {
    auto& w = *static_cast<World*>(*state);
    AccountService accounts(*w.services);
    auto codes = accounts.enroll_recovery_codes(root_record(), Secret(kOldPassword));
    assert_true(codes.ok());
    assert_int_equal(codes->size(), 10);
    auto status = accounts.status(root_record());
    assert_true(status.ok());
    assert_string_equal(status->user.c_str(), "root");
    assert_int_equal(status->recovery_codes_remaining, 10);
    assert_true(status->recovery_codes_enrolled_at > 0);
}

void enrollment_needs_the_current_password(void** state) {
    auto& w = *static_cast<World*>(*state);
    AccountService accounts(*w.services);
    auto refused = accounts.enroll_recovery_codes(root_record(), Secret("not the password"));
    assert_false(refused.ok());
    assert_int_equal(static_cast<int>(refused.error().code), static_cast<int>(ErrorCode::WrongPassword));
    auto status = accounts.status(root_record());
    assert_true(status.ok());
    assert_int_equal(status->recovery_codes_remaining, 0);
}

void enrollment_refused_when_policy_excludes_the_account(void** state) {
    auto& w = *static_cast<World*>(*state);
    w.policy.allow_root = false;
    AccountService accounts(*w.services);
    auto refused = accounts.enroll_recovery_codes(root_record(), Secret(kOldPassword));
    assert_false(refused.ok());
    assert_int_equal(static_cast<int>(refused.error().code), static_cast<int>(ErrorCode::AccessDenied));
}

void re_enrolling_replaces_the_old_set(void** state) {
    auto& w = *static_cast<World*>(*state);
    AccountService accounts(*w.services);
    auto first = accounts.enroll_recovery_codes(root_record(), Secret(kOldPassword));
    auto second = accounts.enroll_recovery_codes(root_record(), Secret(kOldPassword));
    assert_true(first.ok() && second.ok());
    auto status = accounts.status(root_record());
    assert_int_equal(status->recovery_codes_remaining, 10);
    for (const Secret& old_code : *first)
        for (const Secret& new_code : *second)
            assert_false(old_code.view() == new_code.view());
}

}  // namespace

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(enrollment_returns_ten_codes_and_status_counts_them, set_up, tear_down),
        cmocka_unit_test_setup_teardown(enrollment_needs_the_current_password, set_up, tear_down),
        cmocka_unit_test_setup_teardown(enrollment_refused_when_policy_excludes_the_account, set_up, tear_down),
        cmocka_unit_test_setup_teardown(re_enrolling_replaces_the_old_set, set_up, tear_down),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
