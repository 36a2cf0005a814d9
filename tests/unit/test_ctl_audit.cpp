// Unit tests for `recoveryctl audit`: one line per row with names and the
// detail quoted, JSON with the bus keys, the filter built from the options,
// and a bad --since refused as a usage error before anything is called.
#include "tests/unit/UnitTest.h"
#include "tests/unit/test_ctl_output.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "ctl/AuditCommand.h"
#include "ctl/ExitCode.h"
#include "ctl/TimeArgs.h"

using namespace recoveryd;
using namespace recoveryd::ctl;

namespace {

constexpr std::uint64_t kNow = 1795600800ULL * kUsecPerSec;  // 2026-11-25T10:00:00Z

AuditRow sample_row() {
    AuditRow row;
    row.id = 17;
    row.time_usec = kNow + 5 * kUsecPerSec;
    row.actor = "root";
    row.user = "alice";
    row.tty = "pts/1";
    row.action = "request.approve";
    row.outcome = "ok";
    row.detail = "request K7Q-4MZ";
    return row;
}

void one_line_per_row(void**) {
    AuditRow second = sample_row();
    second.id = 18;
    second.actor = "";
    second.user = "eve\n2026-11-25T10:00:06Z  #19  request.approve  ok";
    second.service = "login";
    second.rhost = "10.0.0.5";
    second.ruser = "x";
    second.detail = "";
    const std::string text = format_audit_text({sample_row(), second});
    assert_string_equal(text.c_str(),
                        "2026-11-25T10:00:05Z  #17  request.approve  ok  actor=root  user=\"alice\"  tty=pts/1  "
                        "detail=\"request K7Q-4MZ\"\n"
                        "2026-11-25T10:00:05Z  #18  request.approve  ok  "
                        "user=\"eve\\n2026-11-25T10:00:06Z  #19  request.approve  ok\"  service=login  tty=pts/1  "
                        "rhost=10.0.0.5  ruser=\"x\"\n");
    assert_string_equal(format_audit_text({}).c_str(), "No audit rows.\n");
}

void json_has_the_bus_keys(void**) {
    const auto parsed = nlohmann::json::parse(format_audit_json({sample_row()}));
    assert_int_equal(parsed.size(), 1);
    std::vector<std::string> keys;
    for (const auto& item : parsed[0].items())
        keys.push_back(item.key());
    std::sort(keys.begin(), keys.end());
    const std::vector<std::string> expected{"Action", "Actor",   "Detail", "Id",   "Outcome", "RHost",
                                            "RUser",  "Service", "Time",   "Tty",  "User"};
    assert_true(keys == expected);
    assert_int_equal(parsed[0]["Id"].get<std::uint64_t>(), 17);
    assert_int_equal(parsed[0]["Time"].get<std::uint64_t>(), kNow + 5 * kUsecPerSec);
    assert_string_equal(format_audit_json({}).c_str(), "[]\n");
}

void builds_the_filter_from_the_options(void**) {
    auto empty = make_audit_filter(AuditOptions{}, kNow);
    assert_true(empty.ok());
    assert_false(empty->user.has_value());
    assert_false(empty->since_usec.has_value());
    assert_false(empty->limit.has_value());

    AuditOptions options;
    options.user = "Alice";  // names typed at a prompt are audited too
    options.since = "7d";
    options.limit = 50;
    auto filter = make_audit_filter(options, kNow);
    assert_true(filter.ok());
    assert_string_equal(filter->user->c_str(), "Alice");
    assert_int_equal(*filter->since_usec, kNow - 7 * 86400 * kUsecPerSec);
    assert_int_equal(*filter->limit, 50);

    options.since = "last week";
    auto bad = make_audit_filter(options, kNow);
    assert_false(bad.ok());
    assert_int_equal(bad.error().code, ErrorCode::InvalidArgument);
    options.since.reset();
    options.user = "a\nb";
    assert_false(make_audit_filter(options, kNow).ok());
}

void bad_since_is_a_usage_error_with_an_example(void**) {
    use_absent_bus();
    AuditOptions options;
    options.since = "yesterday";
    const Captured bad = capture_output([&] { return run_audit(options); });
    assert_int_equal(bad.code, kExitUsage);
    assert_true(contains(bad.err, "\"yesterday\" is not a time"));
    assert_true(contains(bad.err, "2026-11-25T08:30Z"));
    assert_true(bad.out.empty());
    options.since = "12h";
    assert_int_equal(capture_output([&] { return run_audit(options); }).code, kExitUnavailable);
}

}  // namespace

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(one_line_per_row),
        cmocka_unit_test(json_has_the_bus_keys),
        cmocka_unit_test(builds_the_filter_from_the_options),
        cmocka_unit_test(bad_since_is_a_usage_error_with_an_example),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
