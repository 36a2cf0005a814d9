#include "ctl/TimeArgs.h"

#include <charconv>
#include <chrono>
#include <ctime>
#include <limits>
#include <optional>

#include "common/TimeText.h"
#include "common/UntrustedText.h"

namespace recoveryd::ctl {
namespace {

struct CivilTime {
    int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
};

// Exactly `count` decimal digits, nothing else.
bool read_digits(std::string_view text, std::size_t count, int& out) {
    if (text.size() != count)
        return false;
    for (char c : text)
        if (c < '0' || c > '9')
            return false;
    return std::from_chars(text.data(), text.data() + text.size(), out).ec == std::errc{};
}

// "YYYY-MM-DD" into the date fields.
bool read_date(std::string_view text, CivilTime& time) {
    return text.size() == 10 && text[4] == '-' && text[7] == '-' && read_digits(text.substr(0, 4), 4, time.year) &&
           read_digits(text.substr(5, 2), 2, time.month) && read_digits(text.substr(8, 2), 2, time.day);
}

// "HH:MM" or "HH:MM:SS" into the clock fields.
bool read_clock(std::string_view text, CivilTime& time) {
    if (text.size() != 5 && !(text.size() == 8 && text[5] == ':' && read_digits(text.substr(6, 2), 2, time.second)))
        return false;
    return text[2] == ':' && read_digits(text.substr(0, 2), 2, time.hour) &&
           read_digits(text.substr(3, 2), 2, time.minute);
}

// The instant, if the fields name a real one (no 31 April, no hour 24):
// timegm normalises fields out of range, so check that it changed none.
std::optional<std::uint64_t> to_usec(const CivilTime& time) {
    struct tm tm {};
    tm.tm_year = time.year - 1900;
    tm.tm_mon = time.month - 1;
    tm.tm_mday = time.day;
    tm.tm_hour = time.hour;
    tm.tm_min = time.minute;
    tm.tm_sec = time.second;
    const std::time_t t = timegm(&tm);
    if (t < 0 || tm.tm_year != time.year - 1900 || tm.tm_mon != time.month - 1 || tm.tm_mday != time.day ||
        tm.tm_hour != time.hour || tm.tm_min != time.minute || tm.tm_sec != time.second)
        return std::nullopt;
    return static_cast<std::uint64_t>(t) * kUsecPerSec;
}

std::optional<std::uint64_t> parse_instant(std::string_view text) {
    CivilTime time;
    if (text.size() == 10)
        return read_date(text, time) ? to_usec(time) : std::nullopt;
    if (text.size() > 11 && text[10] == 'T' && text.back() == 'Z' && read_date(text.substr(0, 10), time) &&
        read_clock(text.substr(11, text.size() - 12), time))
        return to_usec(time);
    return std::nullopt;
}

// "30m", "12h", "7d" before `now`; never before the epoch.
std::optional<std::uint64_t> parse_ago(std::string_view text, std::uint64_t now) {
    if (text.size() < 2)
        return std::nullopt;
    std::uint64_t unit_sec = 0;
    switch (text.back()) {
    case 'm': unit_sec = 60; break;
    case 'h': unit_sec = 3600; break;
    case 'd': unit_sec = 86400; break;
    default: return std::nullopt;
    }
    const std::string_view digits = text.substr(0, text.size() - 1);
    std::uint64_t count = 0;
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), count);
    if (ec != std::errc{} || end != digits.data() + digits.size())
        return std::nullopt;
    if (count > now / (unit_sec * kUsecPerSec))
        return std::nullopt;  // before 1970: surely a typing error
    return now - count * unit_sec * kUsecPerSec;
}

}  // namespace

std::uint64_t now_usec() {
    const auto since_epoch = std::chrono::system_clock::now().time_since_epoch();
    return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::microseconds>(since_epoch).count());
}

std::string utc_from_usec(std::uint64_t usec) {
    return utc_iso8601(static_cast<std::int64_t>(usec / kUsecPerSec));
}

Result<std::uint64_t> parse_since(std::string_view text, std::uint64_t now) {
    if (auto instant = parse_instant(text))
        return *instant;
    if (auto ago = parse_ago(text, now))
        return *ago;
    return make_error(ErrorCode::InvalidArgument,
                      "--since: " + quote_untrusted(text) +
                          " is not a time: give a UTC date (2026-11-25), a UTC time (2026-11-25T08:30Z) "
                          "or how long ago (30m, 12h, 7d)");
}

std::string format_time_left(std::uint64_t now, std::uint64_t later) {
    if (later <= now)
        return "already passed";
    const std::uint64_t minutes = (later - now + 30 * kUsecPerSec) / (60 * kUsecPerSec);  // nearest
    if (minutes == 0)
        return "in less than a minute";
    if (minutes == 1)
        return "in 1 minute";
    if (minutes < 120)
        return "in " + std::to_string(minutes) + " minutes";
    const std::uint64_t hours = (minutes + 30) / 60;
    if (hours < 48)
        return "in " + std::to_string(hours) + " hours";
    return "in " + std::to_string((hours + 12) / 24) + " days";
}

}  // namespace recoveryd::ctl
