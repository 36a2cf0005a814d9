#include "daemon/workers/WorkerPool.h"

#include <csignal>
#include <cstdio>
#include <pthread.h>
#include <sys/eventfd.h>

namespace recoveryd {

Result<std::unique_ptr<WorkerPool>> WorkerPool::start(sd_event* event, std::size_t threads, std::size_t max_queued) {
    std::unique_ptr<WorkerPool> pool(new WorkerPool(max_queued));
    pool->notify_fd_ = UniqueFd(eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
    sd_event_source* source = nullptr;
    if (!pool->notify_fd_.valid() ||
        sd_event_add_io(event, &source, pool->notify_fd_.get(), EPOLLIN, on_completions, pool.get()) < 0)
        return make_error(ErrorCode::Internal, "cannot set up the worker threads");
    pool->notify_source_.reset(source);

    // Signals belong to the event loop (its signalfd): workers block them all.
    sigset_t all, previous;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, &previous);
    for (std::size_t i = 0; i < threads; ++i)
        pool->threads_.emplace_back([raw = pool.get()] { raw->work_loop(); });
    pthread_sigmask(SIG_SETMASK, &previous, nullptr);
    return pool;
}

WorkerPool::~WorkerPool() {
    std::deque<Job> dropped;  // destroyed outside the lock: a job's state may do work as it goes
    {
        const std::lock_guard lock(mutex_);
        stopping_ = true;
        dropped.swap(queue_);
    }
    dropped.clear();
    wake_.notify_all();
    for (std::thread& thread : threads_)
        thread.join();
}

Result<void> WorkerPool::submit(std::function<void()> work, std::function<void()> done) {
    {
        const std::lock_guard lock(mutex_);
        if (queue_.size() >= max_queued_)
            return make_error(ErrorCode::Unavailable, "recoveryd is busy; try again in a moment");
        queue_.push_back(Job{std::move(work), std::move(done)});
    }
    wake_.notify_one();
    return {};
}

void WorkerPool::work_loop() {
    for (;;) {
        Job job;
        {
            std::unique_lock lock(mutex_);
            wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
            if (stopping_)
                return;
            job = std::move(queue_.front());
            queue_.pop_front();
            ++running_;
        }
        job.work();
        {
            const std::lock_guard lock(mutex_);
            --running_;
            try {
                completed_.push_back(std::move(job.done));
            } catch (...) {
                continue;  // out of memory: the caller's reply is lost, its own timeout ends the wait
            }
        }
        const std::uint64_t one = 1;
        (void)!write(notify_fd_.get(), &one, sizeof one);
    }
}

bool WorkerPool::idle() const {
    const std::lock_guard lock(mutex_);
    return queue_.empty() && running_ == 0 && completed_.empty();
}

int WorkerPool::on_completions(sd_event_source*, int fd, uint32_t, void* userdata) {
    auto* self = static_cast<WorkerPool*>(userdata);
    std::uint64_t count = 0;
    (void)!read(fd, &count, sizeof count);
    std::vector<std::function<void()>> ready;
    {
        const std::lock_guard lock(self->mutex_);
        ready.swap(self->completed_);
    }
    for (auto& done : ready) {
        try {
            done();
        } catch (...) {
            std::fprintf(stderr, "recoveryd: a completion failed (out of memory?)\n");
        }
    }
    return 0;
}

}  // namespace recoveryd
