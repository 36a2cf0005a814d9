// Rate limits on identity checks in the store (schema/004_attempt_limits.sql):
// an attempt is counted before anything is compared, so threads guessing at
// once get no more tries than one guessing in a row; lockouts per name, per
// source and in total, growing waits, clearing, a reopened store, and a
// wall clock moved back that neither stretches nor revives a lockout.
#include "tests/unit/test_store_fixture.h"

#include <atomic>
#include <thread>
#include <vector>

using namespace recoveryd;
using std::chrono::seconds;

namespace {

constexpr std::int64_t kSecond = 1000000, kHour = 3600 * kSecond, kDay = 24 * kHour;
constexpr std::int64_t kT0 = 1'800'000'000 * kSecond;
constexpr std::int64_t kAlice = 1000;

ClockReading at(std::int64_t wall, std::int64_t boot = 0, const char* boot_id = "boot-a") {
    return ClockReading{wall, boot_id, boot};
}

// The shipped defaults for names (5 a day, then a day), loose elsewhere
// unless a test tightens them.
IdentityAttempt try_as(const char* user, const ClockReading& clock, const char* source = "tty:tty1") {
    IdentityAttempt attempt{user, source, {}, clock};
    attempt.limits.per_user = {5, seconds(86400), seconds(86400)};
    attempt.limits.per_source = {1000, seconds(3600), seconds(3600)};
    attempt.limits.total = {1000, seconds(3600), seconds(900)};
    attempt.limits.max_lockout = seconds(7 * 86400);
    return attempt;
}

// Alice with one good code, "good".
Store store_with_code(const StoreDir& d) {
    Store store = d.open();
    assert_true(store.replace_recovery_codes("alice", kAlice, {test_digest("good")}, 1).ok());
    return store;
}

CodeCheck guess(Store& store, const IdentityAttempt& attempt, const char* code = "wrong") {
    return ok_value(store.consume_recovery_code(attempt, kAlice, test_digest(code)));
}

void fail_times(Store& store, const IdentityAttempt& attempt, int times) {
    for (int i = 0; i < times; ++i)
        assert_false(guess(store, attempt).attempt.blocked());
}

void five_failures_lock_the_name_and_the_right_code_is_not_compared(void**) {
    StoreDir d;
    Store store = store_with_code(d);
    fail_times(store, try_as("alice", at(kT0)), 4);
    const CodeCheck fifth = guess(store, try_as("alice", at(kT0)));
    assert_false(fifth.attempt.blocked());
    assert_true(fifth.attempt.locked_out == AttemptScope::User);
    assert_true(fifth.attempt.lockout_until == kT0 + kDay);
    const CodeCheck right = guess(store, try_as("alice", at(kT0 + kSecond), "rhost:elsewhere"), "good");
    assert_true(right.attempt.blocked_by == AttemptScope::User);
    assert_false(right.consumed);
    // Not compared, so not used up: after an unlock the code still works.
    assert_ok(store.clear_failed_checks("alice"));
    assert_true(guess(store, try_as("alice", at(kT0 + 2 * kSecond)), "good").consumed);
}

void a_match_is_not_counted_as_a_failure(void**) {
    StoreDir d;
    Store store = d.open();
    std::vector<Digest> codes;
    for (int i = 0; i < 8; ++i)
        codes.push_back(test_digest("good " + std::to_string(i)));
    assert_true(store.replace_recovery_codes("alice", kAlice, codes, 1).ok());
    fail_times(store, try_as("alice", at(kT0)), 4);
    for (int i = 0; i < 8; ++i)
        assert_true(ok_value(store.consume_recovery_code(try_as("alice", at(kT0)), kAlice, codes[i])).consumed);
    assert_true(guess(store, try_as("alice", at(kT0))).attempt.locked_out == AttemptScope::User);
}

void twenty_racing_guessers_get_the_tries_of_one(void**) {
    StoreDir d;
    Store store = store_with_code(d);
    std::atomic<int> compared{0}, blocked{0}, errors{0};
    std::atomic<bool> go{false};
    std::vector<std::thread> threads;
    for (int i = 0; i < 20; ++i)
        threads.emplace_back([&, i] {
            while (!go.load())
                std::this_thread::yield();
            const std::string source = "tty:pts/" + std::to_string(i);
            for (int round = 0; round < 3; ++round) {
                auto check = store.consume_recovery_code(try_as("alice", at(kT0), source.c_str()), kAlice,
                                                         test_digest("wrong"));
                if (!check.ok())
                    ++errors;
                else if (check->attempt.blocked())
                    ++blocked;
                else
                    ++compared;
            }
        });
    go = true;
    for (auto& thread : threads)
        thread.join();
    assert_int_equal(errors.load(), 0);
    assert_int_equal(compared.load(), 5);
    assert_int_equal(blocked.load(), 55);
}

void a_source_is_limited_across_names(void**) {
    StoreDir d;
    Store store = d.open();
    auto from_host = [](const std::string& user) {
        IdentityAttempt attempt = try_as("x", at(kT0), "rhost:192.0.2.7");
        attempt.user = user;
        attempt.limits.per_source = {3, seconds(3600), seconds(3600)};
        return attempt;
    };
    for (const char* user : {"ann", "ben", "cat"})
        assert_false(guess(store, from_host(user)).attempt.blocked());
    assert_true(guess(store, from_host("dan")).attempt.blocked_by == AttemptScope::Source);
    IdentityAttempt other = from_host("dan");
    other.source = "rhost:198.51.100.1";
    assert_false(guess(store, other).attempt.blocked());
    // Unlocking a name does not lift its source's lockout.
    assert_ok(store.clear_failed_checks("ann"));
    assert_true(guess(store, from_host("ann")).attempt.blocked_by == AttemptScope::Source);
}

void the_total_limit_holds_for_everyone(void**) {
    StoreDir d;
    Store store = d.open();
    auto anyone = [](int i) {
        const std::string name = "u" + std::to_string(i);
        IdentityAttempt attempt = try_as("x", at(kT0), ("rhost:h" + std::to_string(i)).c_str());
        attempt.user = name;
        attempt.limits.total = {4, seconds(3600), seconds(900)};
        return attempt;
    };
    for (int i = 0; i < 4; ++i)
        assert_false(guess(store, anyone(i)).attempt.blocked());
    assert_true(guess(store, anyone(99)).attempt.blocked_by == AttemptScope::Total);
}

void a_lockout_ends_and_the_next_one_is_twice_as_long(void**) {
    StoreDir d;
    Store store = store_with_code(d);
    fail_times(store, try_as("alice", at(kT0)), 5);
    assert_true(guess(store, try_as("alice", at(kT0 + kDay - kSecond))).attempt.blocked());
    // Over, and the old failures are out of the window: five more tries;
    // this lockout begins within a window of the last one's end: 48 hours.
    fail_times(store, try_as("alice", at(kT0 + kDay)), 4);
    const CodeCheck again = guess(store, try_as("alice", at(kT0 + kDay)));
    assert_false(again.attempt.blocked());
    assert_true(again.attempt.lockout_until == kT0 + kDay + 2 * kDay);
    // The memory fades: a window after that lockout's end, the first is 24 h again.
    const std::int64_t later = kT0 + 3 * kDay + kDay + kSecond;
    fail_times(store, try_as("alice", at(later)), 4);
    assert_true(guess(store, try_as("alice", at(later))).attempt.lockout_until == later + kDay);
}

void waits_grow_up_to_the_cap(void**) {
    StoreDir d;
    Store store = store_with_code(d);
    std::int64_t now = kT0;
    std::int64_t length = 0;
    for (int lockout = 0; lockout < 6; ++lockout) {
        IdentityAttempt attempt = try_as("alice", at(now));
        attempt.limits.per_user = {1, seconds(86400), seconds(3600)};
        attempt.limits.max_lockout = seconds(4 * 3600);
        const CodeCheck check = guess(store, attempt);
        assert_false(check.attempt.blocked());
        length = check.attempt.lockout_until - now;
        now = check.attempt.lockout_until;
    }
    assert_true(length == 4 * kHour);
}

void a_reopened_store_keeps_the_lockout(void**) {
    StoreDir d;
    {
        Store store = store_with_code(d);
        fail_times(store, try_as("alice", at(kT0)), 5);
    }
    Store reopened = d.open();
    assert_true(guess(reopened, try_as("alice", at(kT0 + kHour), "tty:tty2"), "good").attempt.blocked());
}

void a_clock_moved_back_neither_stretches_nor_revives_a_lockout(void**) {
    StoreDir d;
    Store store = store_with_code(d);
    fail_times(store, try_as("alice", at(kT0, 0)), 5);
    // The wall clock goes back a week; a day of boot time passes: over.
    assert_false(guess(store, try_as("alice", at(kT0 - 7 * kDay, kDay)), "good").attempt.blocked());

    StoreDir d2;
    Store other = store_with_code(d2);
    fail_times(other, try_as("alice", at(kT0, 0)), 5);
    assert_false(guess(other, try_as("alice", at(kT0 + kDay, kSecond))).attempt.blocked());  // over, by the wall
    // Set back into the lockout's time, same boot: not locked out again,
    // and not locked by the failure just counted either (1 of 5).
    assert_false(guess(other, try_as("alice", at(kT0 + kHour, 2 * kSecond)), "good").attempt.blocked());
}

}  // namespace

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(five_failures_lock_the_name_and_the_right_code_is_not_compared),
        cmocka_unit_test(a_match_is_not_counted_as_a_failure),
        cmocka_unit_test(twenty_racing_guessers_get_the_tries_of_one),
        cmocka_unit_test(a_source_is_limited_across_names),
        cmocka_unit_test(the_total_limit_holds_for_everyone),
        cmocka_unit_test(a_lockout_ends_and_the_next_one_is_twice_as_long),
        cmocka_unit_test(waits_grow_up_to_the_cap),
        cmocka_unit_test(a_reopened_store_keeps_the_lockout),
        cmocka_unit_test(a_clock_moved_back_neither_stretches_nor_revives_a_lockout),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
