// Unit tests for recoveryctl's times: `audit --since` in each accepted form,
// refusals of everything else, and "in 60 minutes".
#include "tests/unit/UnitTest.h"

#include <cstring>
#include <string>

#include "ctl/TimeArgs.h"

using namespace recoveryd;
using namespace recoveryd::ctl;

namespace {

constexpr std::uint64_t kSec = kUsecPerSec;
// 2026-11-25T10:00:00Z
constexpr std::uint64_t kNow = 1795600800ULL * kSec;

std::uint64_t since(const char* text) {
    auto parsed = parse_since(text, kNow);
    if (!parsed)
        fail_msg("'%s' refused: %s", text, parsed.error().message.c_str());
    return *parsed;
}

void reads_dates_and_times_as_utc(void**) {
    assert_int_equal(since("2026-11-25"), kNow - 10 * 3600 * kSec);
    assert_int_equal(since("2026-11-25T10:00Z"), kNow);
    assert_int_equal(since("2026-11-25T08:30:15Z"), kNow - (90 * 60 - 15) * kSec);
    assert_int_equal(since("1970-01-01"), 0);
    assert_int_equal(since("2024-02-29"), 1709164800ULL * kSec);  // a leap day
    assert_string_equal(utc_from_usec(kNow + 999999).c_str(), "2026-11-25T10:00:00Z");
}

void reads_durations_as_time_ago(void**) {
    assert_int_equal(since("30m"), kNow - 30 * 60 * kSec);
    assert_int_equal(since("12h"), kNow - 12 * 3600 * kSec);
    assert_int_equal(since("7d"), kNow - 7 * 86400 * kSec);
    assert_int_equal(since("0m"), kNow);
}

void refuses_anything_else_with_an_example(void**) {
    for (const char* bad :
         {"", "yesterday", "2026-11-25T10:00", "2026-11-25 10:00Z", "2026-11-25T10Z", "2026-13-01", "2026-02-30",
          "2023-02-29", "2026-11-25T24:00Z", "2026-11-25T10:60Z", "2026-11-25T10:00:60Z", "26-11-25", "2026-1-25",
          "2026-11-25T10:00+01:00", "1969-12-31", "30", "m", "30s", "30 m", "-30m", "+30m", "1.5h", "3w",
          "99999999999999999999d", "100000d", "2026-11-25x", "2026-11-25TT10:00Z"}) {
        auto parsed = parse_since(bad, kNow);
        if (parsed)
            fail_msg("'%s' was accepted", bad);
        assert_int_equal(parsed.error().code, ErrorCode::InvalidArgument);
        assert_non_null(strstr(parsed.error().message.c_str(), "2026-11-25T08:30Z"));
    }
}

void says_how_long_is_left(void**) {
    assert_string_equal(format_time_left(kNow, kNow + 3600 * kSec).c_str(), "in 60 minutes");
    // The reply arrives a moment after the daemon set the expiry.
    assert_string_equal(format_time_left(kNow + 200000, kNow + 3600 * kSec).c_str(), "in 60 minutes");
    assert_string_equal(format_time_left(kNow, kNow + 60 * kSec).c_str(), "in 1 minute");
    assert_string_equal(format_time_left(kNow, kNow + 20 * kSec).c_str(), "in less than a minute");
    assert_string_equal(format_time_left(kNow, kNow + 3 * 3600 * kSec).c_str(), "in 3 hours");
    assert_string_equal(format_time_left(kNow, kNow + 7 * 86400 * kSec).c_str(), "in 7 days");
    assert_string_equal(format_time_left(kNow, kNow).c_str(), "already passed");
    assert_string_equal(format_time_left(kNow, kNow - kSec).c_str(), "already passed");
}

}  // namespace

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(reads_dates_and_times_as_utc),
        cmocka_unit_test(reads_durations_as_time_ago),
        cmocka_unit_test(refuses_anything_else_with_an_example),
        cmocka_unit_test(says_how_long_is_left),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
