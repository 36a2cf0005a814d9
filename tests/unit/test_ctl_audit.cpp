// Unit tests for `recoveryctl audit`: one line per row with names and the
// detail quoted, JSON with the bus keys, the filter built from the options,
// and a bad --since refused as a usage error before anything is called;
// `audit --verify`: its report, its JSON, and that it lists nothing (the
// list's options are refused beside it).
#include "tests/unit/UnitTest.h"
#include "tests/unit/test_ctl_output.h"

#include <algorithm>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <string>
#include <variant>
#include <vector>

#include "ctl/AuditCommand.h"
#include "ctl/CommandLine.h"
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

void verification_reports_the_count_or_the_row(void**) {
    AuditVerification intact;
    intact.intact = true;
    intact.rows_checked = 1234;
    assert_string_equal(format_verification_text(intact).c_str(), "audit log intact: 1234 rows checked\n");
    intact.rows_checked = 1;
    assert_string_equal(format_verification_text(intact).c_str(), "audit log intact: 1 row checked\n");

    AuditVerification tampered;
    tampered.rows_checked = 17;
    tampered.first_bad_row = 17;
    tampered.problem = "row 17 does not follow row 15: a row is missing";
    assert_string_equal(format_verification_text(tampered).c_str(),
                        "audit log has been tampered with: row 17 does not follow row 15: a row is missing "
                        "(17 rows checked)\n"
                        "The journal keeps a copy of each row as it was written: "
                        "journalctl -o verbose RECOVERYD_AUDIT_ROW=17\n");
    // A row numbered below 1 has no journal copy to point to; the problem names it.
    tampered.first_bad_row = 0;
    tampered.problem = "row 0 is out of order or inserted: it does not follow the start of the log";
    assert_false(contains(format_verification_text(tampered), "journalctl"));
}

void verification_json_has_the_bus_names(void**) {
    AuditVerification intact;
    intact.intact = true;
    intact.rows_checked = 5;
    const auto good = nlohmann::json::parse(format_verification_json(intact));
    assert_true(good["intact"].get<bool>());
    assert_int_equal(good["rows_checked"].get<std::uint64_t>(), 5);
    assert_true(good["first_bad_row"].is_null());
    assert_true(good["problem"].is_null());

    AuditVerification tampered;
    tampered.rows_checked = 3;
    tampered.first_bad_row = 3;
    tampered.problem = "row 3 was changed";
    const auto bad = nlohmann::json::parse(format_verification_json(tampered));
    assert_false(bad["intact"].get<bool>());
    assert_int_equal(bad["first_bad_row"].get<std::uint64_t>(), 3);
    assert_string_equal(bad["problem"].get<std::string>().c_str(), "row 3 was changed");
    assert_int_equal(bad.size(), 4);
}

std::variant<CommandLine, int> parse(std::initializer_list<const char*> args) {
    std::vector<const char*> argv{"recoveryctl", "audit"};
    argv.insert(argv.end(), args);
    std::variant<CommandLine, int> result;
    capture_output([&] {
        result = parse_command_line(static_cast<int>(argv.size()), argv.data());
        return 0;
    });
    return result;
}

void verify_is_its_own_mode(void**) {
    const auto verify = parse({"--verify", "--json"});
    assert_true(std::holds_alternative<CommandLine>(verify));
    assert_true(std::get<CommandLine>(verify).audit.verify);
    assert_true(std::get<CommandLine>(verify).audit.json);
    assert_false(std::get<CommandLine>(parse({})).audit.verify);
    for (auto args : {std::initializer_list<const char*>{"--verify", "--user", "alice"},
                      std::initializer_list<const char*>{"--verify", "--since", "7d"},
                      std::initializer_list<const char*>{"--limit", "5", "--verify"}}) {
        const auto refused = parse(args);
        assert_true(std::holds_alternative<int>(refused));
        assert_int_equal(std::get<int>(refused), kExitUsage);
    }
    use_absent_bus();
    AuditOptions options;
    options.verify = true;
    const Captured unreachable = capture_output([&] { return run_audit(options); });
    assert_int_equal(unreachable.code, kExitUnavailable);
    assert_true(unreachable.out.empty());
}

}  // namespace

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(one_line_per_row),
        cmocka_unit_test(json_has_the_bus_keys),
        cmocka_unit_test(builds_the_filter_from_the_options),
        cmocka_unit_test(bad_since_is_a_usage_error_with_an_example),
        cmocka_unit_test(verification_reports_the_count_or_the_row),
        cmocka_unit_test(verification_json_has_the_bus_names),
        cmocka_unit_test(verify_is_its_own_mode),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
