// Unit tests for one Store shared by worker threads: every method holds the
// store's mutex for its whole transaction, so statements of two threads never
// interleave inside one BEGIN IMMEDIATE on the shared connection.
#include "tests/unit/test_store_fixture.h"

#include <atomic>
#include <thread>
#include <vector>

using namespace recoveryd;

namespace {

constexpr int kThreads = 8;

// Starts every thread at once, runs `work(index)` in each, joins them all.
template <typename Work>
void race(Work work) {
    std::atomic<bool> go{false};
    std::vector<std::thread> threads;
    for (int i = 0; i < kThreads; ++i)
        threads.emplace_back([&go, &work, i] {
            while (!go.load())
                std::this_thread::yield();
            work(i);
        });
    go = true;
    for (std::thread& thread : threads)
        thread.join();
}

void threads_consuming_one_code_have_one_winner(void**) {
    StoreDir d;
    Store store = d.open();
    for (int round = 0; round < 30; ++round) {
        const Digest code = test_digest("round " + std::to_string(round));
        assert_true(store.replace_recovery_codes("alice", 1000, {code}, 1).ok());
        std::atomic<int> winners{0}, errors{0};
        race([&](int) {
            auto check = store.consume_recovery_code(attempt_by("alice"), 1000, code);
            if (!check.ok())
                ++errors;
            else if (check->consumed)
                ++winners;
        });
        assert_int_equal(errors.load(), 0);
        assert_int_equal(winners.load(), 1);
    }
}

void threads_appending_audit_rows_keep_the_chain(void**) {
    StoreDir d;
    Store store = d.open();
    constexpr int kRowsEach = 40;
    std::atomic<int> errors{0};
    race([&](int thread) {
        for (int i = 0; i < kRowsEach; ++i) {
            AuditRecord r{};
            r.time = 1700000000 + i;
            r.actor = "worker:" + std::to_string(thread);
            r.action = "flow.start";
            r.outcome = "ok";
            r.app_uid = thread;
            if (!store.append_audit(r).ok())
                ++errors;
        }
    });
    assert_int_equal(errors.load(), 0);
    assert_int_equal(assert_audit_intact(store), kThreads * kRowsEach);
}

// Parallel password checks of one uid: the first is recorded before the
// others look, so only one may run.
void parallel_password_checks_of_one_uid_let_one_through(void**) {
    StoreDir d;
    Store store = d.open();
    auto a_minute = [](std::uint32_t) { return std::int64_t{60}; };
    for (int round = 0; round < 30; ++round) {
        const std::int64_t uid = 2000 + round;
        std::atomic<int> allowed{0}, errors{0};
        race([&](int) {
            auto gate = store.begin_password_check(uid, 100, a_minute);
            if (!gate.ok())
                ++errors;
            else if (gate->allowed)
                ++allowed;
        });
        assert_int_equal(errors.load(), 0);
        assert_int_equal(allowed.load(), 1);
    }
}

// Everything at once, as the worker pool would: no call fails.
void mixed_calls_from_many_threads_all_succeed(void**) {
    StoreDir d;
    Store store = d.open();
    std::atomic<int> errors{0};
    race([&](int thread) {
        const std::string user = "user" + std::to_string(thread);
        const std::int64_t uid = 3000 + thread;
        for (int i = 0; i < 20; ++i) {
            const Digest code = test_digest(user + std::to_string(i));
            bool ok = store.replace_recovery_codes(user, uid, {code}, 1).ok();
            ok = ok && store.consume_recovery_code(attempt_by(user), uid, code).ok();
            ok = ok && store.recovery_code_status(user, uid).ok();
            ok = ok && store.note_denial(uid, i, 5).ok();
            ok = ok && store.begin_password_check(uid, i, [](std::uint32_t) { return std::int64_t{0}; }).ok();
            ok = ok && store.password_check_succeeded(uid).ok();
            ok = ok && store.list_audit(5).ok();
            ok = ok && store.forget_user(user).ok();
            if (!ok)
                ++errors;
        }
    });
    assert_int_equal(errors.load(), 0);
}

}  // namespace

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(threads_consuming_one_code_have_one_winner),
        cmocka_unit_test(threads_appending_audit_rows_keep_the_chain),
        cmocka_unit_test(parallel_password_checks_of_one_uid_let_one_through),
        cmocka_unit_test(mixed_calls_from_many_threads_all_succeed),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
