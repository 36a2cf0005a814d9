#pragma once
// Times as people and scripts read them.

#include <cstdint>
#include <string>

namespace recoveryd {

// ISO 8601 in UTC, e.g. "2026-11-25T10:00:00Z": stable for scripts.
std::string utc_iso8601(std::int64_t epoch_seconds);

}  // namespace recoveryd
