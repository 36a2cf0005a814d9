#include "common/TimeText.h"

#include <ctime>

namespace recoveryd {

std::string utc_iso8601(std::int64_t epoch_seconds) {
    const std::time_t t = static_cast<std::time_t>(epoch_seconds);
    struct tm tm {};
    gmtime_r(&t, &tm);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return text;
}

long days_since_epoch() { return static_cast<long>(std::time(nullptr) / 86400); }

}  // namespace recoveryd
