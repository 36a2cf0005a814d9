// Unit tests for account_state: which shadow entries may be recovered,
// judged as pam_unix judges them at login (DESIGN.md invariant 12).
#include "tests/unit/UnitTest.h"

#include <string>

#include "daemon/shadow/AccountState.h"
#include "daemon/shadow/ShadowText.h"

using namespace recoveryd;

namespace {

constexpr long kToday = 20000;

ShadowEntry entry_of(const std::string& line) {
    auto entry = find_shadow_entry("root:*:19000:0:99999:7:::\n" + line + "\n", "alice");
    assert_true(entry.ok());
    return std::move(entry.value());
}

void check(const char* line, AccountState expected) {
    const AccountState state = account_state(entry_of(line), kToday);
    if (state != expected)
        fail_msg("%s: got \"%s\", expected \"%s\"", line, describe(state), describe(expected));
}

void parses_the_aging_fields(void**) {
    const ShadowEntry full = entry_of("alice:$y$j9T$s$h:19000:1:90:7:14:20100:");
    assert_string_equal(full.name.c_str(), "alice");
    assert_string_equal(full.password_hash.c_str(), "$y$j9T$s$h");
    assert_int_equal(*full.last_change_day, 19000);
    assert_int_equal(*full.max_days, 90);
    assert_int_equal(*full.inactive_days, 14);
    assert_int_equal(*full.expire_day, 20100);
    assert_false(full.malformed_number);

    const ShadowEntry empty = entry_of("alice:$y$j9T$s$h:::::::");
    assert_false(empty.last_change_day || empty.max_days || empty.inactive_days || empty.expire_day);
    assert_false(empty.malformed_number);
    // An old-style line with only name and hash.
    const ShadowEntry short_line = entry_of("alice:$y$j9T$s$h");
    assert_false(short_line.last_change_day || short_line.expire_day || short_line.malformed_number);
    // -1 is struct spwd's "unset", as glibc reads it.
    const ShadowEntry unset = entry_of("alice:$y$j9T$s$h:-1:::::-1:");
    assert_false(unset.last_change_day.has_value() || unset.expire_day.has_value() || unset.malformed_number);
}

void a_normal_account_is_usable(void**) {
    check("alice:$y$j9T$s$h:19000:0:99999:7:::", AccountState::Usable);
    check("alice:$6$salt$hash:19000:0:99999:7:::", AccountState::Usable);
    check("alice:$y$j9T$s$h", AccountState::Usable);
}

void locked_accounts(void**) {
    check("alice:!$y$j9T$s$h:19000:0:99999:7:::", AccountState::Locked);  // usermod -L, passwd -l
    check("alice:!:19000:0:99999:7:::", AccountState::Locked);
    check("alice:!*:19000:0:99999:7:::", AccountState::Locked);            // useradd without a password
    check("alice:!!:19000::::::", AccountState::Locked);
}

void disabled_accounts(void**) {
    check("alice:*:19000:0:99999:7:::", AccountState::Disabled);
    check("alice:*LK*:19000:0:99999:7:::", AccountState::Disabled);
    check("alice::19000:0:99999:7:::", AccountState::Disabled);  // empty hash
    check("alice:", AccountState::Disabled);
}

void expired_accounts(void**) {
    check("alice:$y$j9T$s$h:19000:0:99999:7::1:", AccountState::Expired);  // usermod -e 1
    check("alice:$y$j9T$s$h:19000:0:99999:7::0:", AccountState::Expired);
    // pam_unix: curdays >= sp_expire, so the expiry day itself is expired.
    check("alice:$y$j9T$s$h:19000:0:99999:7::20000:", AccountState::Expired);
    check("alice:$y$j9T$s$h:19000:0:99999:7::20001:", AccountState::Usable);
}

void inactive_passwords_expire(void**) {
    // 1000 days since the change; max 900 + inactive 99 = 999 < 1000.
    check("alice:$y$j9T$s$h:19000:0:900:7:99::", AccountState::Expired);
    // max 900 + inactive 100 = 1000, not less than 1000: still in the grace period.
    check("alice:$y$j9T$s$h:19000:0:900:7:100::", AccountState::Usable);
    // Without max, inactive or a last change there is no such limit.
    check("alice:$y$j9T$s$h:19000:0::7:1::", AccountState::Usable);
    check("alice:$y$j9T$s$h:19000:0:900:7:::", AccountState::Usable);
    check("alice:$y$j9T$s$h::0:900:7:1::", AccountState::Usable);
    // Last change 0: "change it at next login" (passwd -e), not inactivity.
    check("alice:$y$j9T$s$h:0:0:1:7:1::", AccountState::Usable);
    // A last change in the future is not inactivity either.
    check("alice:$y$j9T$s$h:20500:0:1:7:1::", AccountState::Usable);
}

void lock_wins_over_expiry(void**) {
    check("alice:!$y$j9T$s$h:19000:0:99999:7::1:", AccountState::Locked);
    check("alice:*:19000:0:99999:7::1:", AccountState::Disabled);
}

// A field that is not a day count: never guess, never usable.
void malformed_numbers_are_not_usable(void**) {
    for (const char* line : {
             "alice:$y$j9T$s$h:19x00:0:99999:7:::",
             "alice:$y$j9T$s$h:19000:zero:99999:7:::",      // field 4, only checked
             "alice:$y$j9T$s$h:19000:0:ninety:7:::",
             "alice:$y$j9T$s$h:19000:0:99999: 7:::",        // field 6, only checked
             "alice:$y$j9T$s$h:19000:0:99999:7:-3::",
             "alice:$y$j9T$s$h:19000:0:99999:7::+5:",
             "alice:$y$j9T$s$h:19000:0:99999:7::99999999999:",
             "alice:$y$j9T$s$h:19000:0:99999:7::1e3:",
         }) {
        assert_true(entry_of(line).malformed_number);
        check(line, AccountState::Disabled);
    }
}

void describes_each_state(void**) {
    assert_string_equal(describe(AccountState::Usable), "account usable");
    assert_string_equal(describe(AccountState::Locked), "account locked");
    assert_string_equal(describe(AccountState::Disabled), "account disabled");
    assert_string_equal(describe(AccountState::Expired), "account expired");
}

}  // namespace

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(parses_the_aging_fields),
        cmocka_unit_test(a_normal_account_is_usable),
        cmocka_unit_test(locked_accounts),
        cmocka_unit_test(disabled_accounts),
        cmocka_unit_test(expired_accounts),
        cmocka_unit_test(inactive_passwords_expire),
        cmocka_unit_test(lock_wins_over_expiry),
        cmocka_unit_test(malformed_numbers_are_not_usable),
        cmocka_unit_test(describes_each_state),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
