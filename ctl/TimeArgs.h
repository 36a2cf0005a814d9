#pragma once
// Times on recoveryctl's command line and in its output. The bus carries
// microseconds since the epoch (dbus/io.recoveryd.Recovery1.xml).

#include <cstdint>
#include <string>
#include <string_view>

#include "common/Result.h"

namespace recoveryd::ctl {

inline constexpr std::uint64_t kUsecPerSec = 1000 * 1000;

std::uint64_t now_usec();  // the wall clock

// "2026-11-25T10:00:00Z" (whole seconds, UTC).
std::string utc_from_usec(std::uint64_t usec);

// `audit --since`: "YYYY-MM-DD" (midnight UTC), "YYYY-MM-DDTHH:MM[:SS]Z" (UTC),
// or a duration before `now`: a whole number and m, h or d ("30m", "12h",
// "7d"). Anything else is InvalidArgument, with an example.
Result<std::uint64_t> parse_since(std::string_view text, std::uint64_t now);

// How far `later` is from `now`, the way a person says it: "in 60 minutes",
// "in 2 hours", "in less than a minute"; "already passed" when it has.
std::string format_time_left(std::uint64_t now, std::uint64_t later);

}  // namespace recoveryd::ctl
