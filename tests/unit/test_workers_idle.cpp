// WorkerPool::idle(), what the daemon's idle exit asks (daemon/bus/IdleExit):
// false from the moment a job is queued until its completion has run on the
// loop, also while the job runs and while its completion waits for the loop.

#include "tests/unit/UnitTest.h"

#include <atomic>
#include <chrono>
#include <future>
#include <thread>

#include "daemon/workers/WorkerPool.h"

using namespace recoveryd;

namespace {

EventPtr new_loop() {
    sd_event* raw = nullptr;
    assert_true(sd_event_new(&raw) >= 0);
    return EventPtr(raw);
}

// Waits (at most 5 s) on another thread's progress, without running the loop.
template <typename Condition>
void await(Condition condition) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (!condition() && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    assert_true(condition());
}

void idle_until_the_completion_has_run(void**) {
    auto loop = new_loop();
    auto pool = WorkerPool::start(loop.get(), 1, 8);
    assert_true(pool.ok());
    WorkerPool& workers = **pool;
    assert_true(workers.idle());

    std::promise<void> release;
    std::shared_future<void> released = release.get_future().share();
    std::atomic<bool> running = false, worked = false, completed = false;
    assert_true(workers
                    .run<int>(
                        [&]() -> Result<int> {
                            running = true;
                            released.wait();
                            worked = true;
                            return 1;
                        },
                        [&](Result<int>) { completed = true; })
                    .ok());
    assert_false(workers.idle());  // queued (or already taken)
    await([&] { return running.load(); });
    assert_false(workers.idle());  // running on the worker
    release.set_value();
    await([&] { return worked.load(); });
    std::this_thread::sleep_for(std::chrono::milliseconds(20));  // the worker hands the completion over
    assert_false(completed);
    assert_false(workers.idle());  // finished, its completion not yet run on the loop
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (!completed && std::chrono::steady_clock::now() < deadline)
        assert_true(sd_event_run(loop.get(), 100000) >= 0);
    assert_true(completed);
    assert_true(workers.idle());
}

}  // namespace

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(idle_until_the_completion_has_run),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
