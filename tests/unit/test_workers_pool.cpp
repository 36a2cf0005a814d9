// WorkerPool: work runs on a worker thread, its completion on the event loop;
// the queue is bounded; stopping waits for the work in progress.

#include "tests/unit/UnitTest.h"

#include <atomic>
#include <chrono>
#include <future>
#include <stdexcept>
#include <thread>

#include "daemon/workers/WorkerPool.h"

using namespace recoveryd;

namespace {

struct Loop {
    EventPtr event;
    Loop() {
        sd_event* raw = nullptr;
        assert_true(sd_event_new(&raw) >= 0);
        event.reset(raw);
    }
    // Runs the loop until `done` is true (or 5 s pass).
    void run_until(const std::atomic<bool>& done) {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
        while (!done && std::chrono::steady_clock::now() < deadline)
            assert_true(sd_event_run(event.get(), 100000) >= 0);
        assert_true(done);
    }
};

std::unique_ptr<WorkerPool> make_pool(Loop& loop, std::size_t threads, std::size_t queue) {
    auto pool = WorkerPool::start(loop.event.get(), threads, queue);
    assert_true(pool.ok());
    return std::move(pool.value());
}

void work_off_the_loop_completion_on_it(void**) {
    Loop loop;
    auto pool = make_pool(loop, 2, 8);
    const auto loop_thread = std::this_thread::get_id();
    std::thread::id worked_on;
    std::atomic<bool> done = false;
    assert_true(pool->run<int>(
                        [&]() -> Result<int> {
                            worked_on = std::this_thread::get_id();
                            return 42;
                        },
                        [&](Result<int> r) {
                            assert_true(r.ok());
                            assert_int_equal(*r, 42);
                            assert_true(std::this_thread::get_id() == loop_thread);
                            done = true;
                        })
                    .ok());
    loop.run_until(done);
    assert_false(worked_on == loop_thread);
}

void a_full_queue_refuses(void**) {
    Loop loop;
    auto pool = make_pool(loop, 1, 2);
    std::promise<void> release;
    auto released = release.get_future().share();
    std::atomic<bool> started = false;
    const auto blocked = [&, released]() -> Result<int> {
        started = true;
        released.wait();
        return 0;
    };
    assert_true(pool->run<int>(blocked, [](Result<int>) {}).ok());
    while (!started)
        std::this_thread::yield();
    assert_true(pool->run<int>(blocked, [](Result<int>) {}).ok());
    assert_true(pool->run<int>(blocked, [](Result<int>) {}).ok());
    auto refused = pool->run<int>(blocked, [](Result<int>) {});
    assert_false(refused.ok());
    assert_int_equal(static_cast<int>(refused.error().code), static_cast<int>(ErrorCode::Unavailable));
    release.set_value();
}

void an_exception_becomes_an_error(void**) {
    Loop loop;
    auto pool = make_pool(loop, 1, 8);
    std::atomic<bool> done = false;
    assert_true(pool->run<int>([]() -> Result<int> { throw std::runtime_error("boom"); },
                               [&](Result<int> r) {
                                   assert_false(r.ok());
                                   assert_int_equal(static_cast<int>(r.error().code),
                                                    static_cast<int>(ErrorCode::Internal));
                                   done = true;
                               })
                    .ok());
    loop.run_until(done);
}

// Stopping lets the running job finish (a shadow rewrite is never cut off)
// and drops what waits; no completion runs once stopping has begun.
void stopping_waits_for_the_running_job(void**) {
    Loop loop;
    auto pool = make_pool(loop, 1, 8);
    std::atomic<bool> started = false, finished = false, queued_ran = false, completed = false;
    assert_true(pool->run<int>(
                        [&]() -> Result<int> {
                            started = true;
                            std::this_thread::sleep_for(std::chrono::milliseconds(300));
                            finished = true;
                            return 0;
                        },
                        [&](Result<int>) { completed = true; })
                    .ok());
    assert_true(pool->run<int>(
                        [&]() -> Result<int> {
                            queued_ran = true;
                            return 0;
                        },
                        [&](Result<int>) { completed = true; })
                    .ok());
    while (!started)
        std::this_thread::yield();
    pool.reset();
    assert_true(finished);
    assert_false(queued_ran);
    assert_false(completed);
}

}  // namespace

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(work_off_the_loop_completion_on_it),
        cmocka_unit_test(a_full_queue_refuses),
        cmocka_unit_test(an_exception_becomes_an_error),
        cmocka_unit_test(stopping_waits_for_the_running_job),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
