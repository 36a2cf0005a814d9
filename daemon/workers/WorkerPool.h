#pragma once
// A few threads for the work that may block: password hashing, the shadow
// file's lock and rewrite, user lookups that may go to the network, SQLite.
// Work runs on a worker; its completion runs on the event loop, which alone
// touches flows and the bus (DESIGN.md, "Event loop"). The queue is bounded:
// beyond it a call is refused (Unavailable) rather than left to pile up.

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "common/Result.h"
#include "common/SdBus.h"
#include "common/UniqueFd.h"

namespace recoveryd {

class WorkerPool {
public:
    // `threads` workers sharing one queue of at most `max_queued` jobs.
    static Result<std::unique_ptr<WorkerPool>> start(sd_event* event, std::size_t threads, std::size_t max_queued);

    // Lets the jobs running now finish (a shadow rewrite is never cut off)
    // and drops those still waiting; no completion runs after this starts.
    ~WorkerPool();
    WorkerPool(const WorkerPool&) = delete;
    WorkerPool& operator=(const WorkerPool&) = delete;

    // Runs `work` on a worker, then `done` with its result on the loop. An
    // exception in `work` becomes an Internal error.
    template <typename T>
    Result<void> run(std::function<Result<T>()> work, std::function<void(Result<T>)> done) {
        auto result = std::make_shared<std::optional<Result<T>>>();
        return submit(
            [result, work = std::move(work)] {
                try {
                    result->emplace(work());
                } catch (...) {
                    result->emplace(make_error(ErrorCode::Internal, "internal error in recoveryd"));
                }
            },
            [result, done = std::move(done)] { done(std::move(**result)); });
    }

    // Nothing waiting, running, or finished but not yet completed on the
    // loop: the daemon may exit when idle (daemon/bus/IdleExit).
    bool idle() const;

private:
    struct Job {
        std::function<void()> work;  // on a worker; must not throw
        std::function<void()> done;  // on the loop
    };

    WorkerPool(std::size_t max_queued) : max_queued_(max_queued) {}
    Result<void> submit(std::function<void()> work, std::function<void()> done);
    void work_loop();
    static int on_completions(sd_event_source* source, int fd, uint32_t events, void* userdata);

    const std::size_t max_queued_;
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<Job> queue_;
    std::vector<std::function<void()>> completed_;
    std::size_t running_ = 0;  // jobs taken off the queue whose completion is not yet in completed_
    bool stopping_ = false;
    std::vector<std::thread> threads_;
    UniqueFd notify_fd_;  // eventfd: a worker finished something
    EventSourcePtr notify_source_;
};

}  // namespace recoveryd
