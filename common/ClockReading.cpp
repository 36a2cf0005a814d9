#include "common/ClockReading.h"

#include <systemd/sd-id128.h>
#include <time.h>

namespace recoveryd {

namespace {

std::int64_t microseconds(clockid_t clock) {
    struct timespec ts {};
    clock_gettime(clock, &ts);
    return static_cast<std::int64_t>(ts.tv_sec) * 1000000 + ts.tv_nsec / 1000;
}

}  // namespace

ClockReading read_clock() {
    ClockReading reading;
    reading.wall_us = microseconds(CLOCK_REALTIME);
    reading.boot_us = microseconds(CLOCK_BOOTTIME);
    sd_id128_t boot{};
    char text[SD_ID128_STRING_MAX];
    // Without a boot id the boot-time clock cannot be compared across
    // readings; the store then judges by the wall clock and its high-water
    // mark alone.
    if (sd_id128_get_boot(&boot) >= 0)
        reading.boot_id = sd_id128_to_string(boot, text);
    return reading;
}

}  // namespace recoveryd
