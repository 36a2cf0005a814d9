#pragma once
// Times as people and scripts read them.

#include <cstdint>
#include <string>

namespace recoveryd {

// ISO 8601 in UTC, e.g. "2026-11-25T10:00:00Z": stable for scripts.
std::string utc_iso8601(std::int64_t epoch_seconds);

// Today as the shadow file counts it: days since 1970-01-01 (UTC).
long days_since_epoch();

}  // namespace recoveryd
