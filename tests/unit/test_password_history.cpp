// Unit tests for "the last N passwords" (daemon/password/PasswordHistory):
// the hash in /etc/shadow now plus the N-1 newest replaced ones, with real
// crypt hashes and a real store. With N = 5, after p1..p6 the passwords
// p2..p6 are refused and p1 is accepted.
#include "tests/unit/test_store_fixture.h"

#include <fstream>
#include <string>
#include <vector>

#include "daemon/password/PasswordHistory.h"
#include "daemon/password/PasswordRules.h"
#include "daemon/shadow/PasswordHasher.h"

using namespace recoveryd;

namespace {

constexpr std::int64_t kAlice = 1000;

struct Account {
    StoreDir d;
    Store store = d.open();
    PasswordHasher hasher = [this] {
        std::ofstream(d.dir / "login.defs") << "ENCRYPT_METHOD SHA512\n";
        auto made = PasswordHasher::from_system({d.dir / "common-password", d.dir / "login.defs"});
        assert_true(made.ok());
        return std::move(made.value());
    }();
    std::string shadow_hash;  // the password in "/etc/shadow"

    // What a rotation does: the current hash goes into the history.
    void rotate(const PasswordPolicy& policy, const std::string& password) {
        auto hash = hasher.hash(Secret(password), shadow_hash);
        assert_true(hash.ok());
        assert_ok(remember_replaced_password(store, policy, "alice", kAlice, shadow_hash, 1));
        shadow_hash = std::string(hash->view());
    }

    bool refused(const PasswordPolicy& policy, const std::string& password) {
        auto recent = ok_value(recent_password_hashes(store, policy, "alice", kAlice, shadow_hash));
        auto verdict = ok_value(check_new_password(policy, PasswordOwner{"alice", recent}, Secret(password)));
        if (verdict && verdict->rule != PasswordRule::History)
            fail_msg("refused by another rule: %s", verdict->message.c_str());
        return verdict.has_value();
    }
};

std::string password(int n) { return "passphrase number " + std::to_string(n) + " for the history tests"; }

PasswordPolicy remembering(std::size_t n) { return PasswordPolicy{15, 127, false, n}; }

void the_last_five_are_refused_and_the_sixth_is_accepted(void**) {
    Account a;
    const PasswordPolicy policy = remembering(5);
    a.shadow_hash = std::string(a.hasher.hash(Secret(password(1)), "")->view());
    for (int n = 2; n <= 6; ++n)
        a.rotate(policy, password(n));
    for (int n = 2; n <= 6; ++n)
        if (!a.refused(policy, password(n)))
            fail_msg("p%d, one of the last 5, was accepted", n);
    assert_false(a.refused(policy, password(1)));
    assert_false(a.refused(policy, password(7)));
    // Four rows: the fifth is the hash in shadow.
    assert_string_equal(a.d.sql("SELECT count(*) FROM password_history").c_str(), "4");
}

// RememberLast lowered: it applies at once, before a rotation prunes.
void a_lower_remember_last_applies_at_once(void**) {
    Account a;
    a.shadow_hash = std::string(a.hasher.hash(Secret(password(1)), "")->view());
    for (int n = 2; n <= 6; ++n)
        a.rotate(remembering(5), password(n));
    const PasswordPolicy two = remembering(2);
    assert_true(a.refused(two, password(6)));
    assert_true(a.refused(two, password(5)));
    assert_false(a.refused(two, password(4)));
    // The current hash and one remembered: no more are even read.
    assert_int_equal(ok_value(recent_password_hashes(a.store, two, "alice", kAlice, a.shadow_hash)).size(), 2);
    assert_string_equal(a.d.sql("SELECT count(*) FROM password_history").c_str(), "4");
}

void remember_last_one_is_the_current_password_only(void**) {
    Account a;
    const PasswordPolicy policy = remembering(1);
    a.shadow_hash = std::string(a.hasher.hash(Secret(password(1)), "")->view());
    a.rotate(policy, password(2));
    assert_true(a.refused(policy, password(2)));
    assert_false(a.refused(policy, password(1)));
    assert_string_equal(a.d.sql("SELECT count(*) FROM password_history").c_str(), "0");
}

void remember_last_zero_turns_history_off(void**) {
    Account a;
    PasswordPolicy policy = remembering(5);
    a.shadow_hash = std::string(a.hasher.hash(Secret(password(1)), "")->view());
    a.rotate(policy, password(2));
    policy.remember_last = 0;
    assert_false(a.refused(policy, password(2)));  // not even the current one
    assert_false(a.refused(policy, password(1)));
    a.rotate(policy, password(3));  // and a rotation keeps nothing
    assert_string_equal(a.d.sql("SELECT count(*) FROM password_history").c_str(), "0");
}

void unusable_hashes_are_not_remembered(void**) {
    Account a;
    const PasswordPolicy policy = remembering(5);
    for (const char* hash : {"", "*", "!$6$salt$abc", "!"})
        assert_ok(remember_replaced_password(a.store, policy, "alice", kAlice, hash, 1));
    assert_string_equal(a.d.sql("SELECT count(*) FROM password_history").c_str(), "0");
}

}  // namespace

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_last_five_are_refused_and_the_sixth_is_accepted),
        cmocka_unit_test(a_lower_remember_last_applies_at_once),
        cmocka_unit_test(remember_last_one_is_the_current_password_only),
        cmocka_unit_test(remember_last_zero_turns_history_off),
        cmocka_unit_test(unusable_hashes_are_not_remembered),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
