#pragma once
// A reading of the clocks that expiry is judged by: the wall clock (what
// times are stored as) and, to notice a wall clock moved back, the boot-time
// clock of this boot. The store keeps the latest judged time (see
// Store::judge_time); tests pass readings of their own.

#include <cstdint>
#include <string>

namespace recoveryd {

struct ClockReading {
    std::int64_t wall_us = 0;  // CLOCK_REALTIME, microseconds since the epoch
    std::string boot_id;       // this boot (sd_id128_get_boot), as 32 hex digits
    std::int64_t boot_us = 0;  // CLOCK_BOOTTIME, microseconds (runs during suspend)
};

ClockReading read_clock();

}  // namespace recoveryd
