#pragma once
// One point in time by which a whole bus call (connect, authentication,
// Hello, the method and its reply, the check of the replier) must be done.
// On CLOCK_MONOTONIC, so setting the wall clock cannot stretch it.

#include <cstdint>
#include <ctime>

namespace recoveryd::pam {

class Deadline {
public:
    static Deadline after_usec(std::uint64_t usec) { return Deadline(now_usec() + usec); }

    // 0 once the deadline has passed.
    std::uint64_t remaining_usec() const {
        const std::uint64_t now = now_usec();
        return now >= end_usec_ ? 0 : end_usec_ - now;
    }

private:
    explicit Deadline(std::uint64_t end_usec) : end_usec_(end_usec) {}

    static std::uint64_t now_usec() {
        struct timespec now {};
        clock_gettime(CLOCK_MONOTONIC, &now);
        return static_cast<std::uint64_t>(now.tv_sec) * 1000000u + static_cast<std::uint64_t>(now.tv_nsec) / 1000u;
    }

    std::uint64_t end_usec_;
};

}  // namespace recoveryd::pam
