// Unit tests for `recoveryctl requests` and `watch` output: every field of a
// request, what was typed at the prompt in quotes, the reminder before the
// list in text and never in JSON, JSON keys exactly the bus keys, and "no
// requests" said plainly.
#include "tests/unit/UnitTest.h"
#include "tests/unit/test_ctl_output.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "ctl/RequestsCommand.h"

using namespace recoveryd::ctl;

namespace {

constexpr std::uint64_t kFiledAt = 1795600800ULL * 1000000 + 123456;  // 2026-11-25T10:00:00.123456Z

HelpRequest sample_request() {
    HelpRequest r;
    r.id = "K7Q-4MZ";
    r.user = "alice";
    r.account = "recoverable";
    r.filed_at_usec = kFiledAt;
    r.service = "login";
    r.tty = "tty3";
    r.rhost = "";
    r.contact = "call 555-0100";
    r.reason = "forgot my password";
    r.state = "open";
    return r;
}

void shows_every_field(void**) {
    const std::string text = format_request_text(sample_request());
    assert_string_equal(text.c_str(),
                        "Request K7Q-4MZ\n"
                        "  User:        \"alice\"\n"
                        "  Account:     recoverable\n"
                        "  Filed at:    2026-11-25T10:00:00Z\n"
                        "  Service:     login\n"
                        "  TTY:         tty3\n"
                        "  Remote host: (none)\n"
                        "  Contact:     \"call 555-0100\"\n"
                        "  Reason:      \"forgot my password\"\n"
                        "  State:       open\n"
                        "  Decided by:  (none)\n"
                        "  Note:        (none)\n");
    HelpRequest decided = sample_request();
    decided.state = "denied";
    decided.decided_by = "root";
    decided.note = "not reachable on file";
    const std::string closed = format_request_text(decided);
    assert_true(contains(closed, "  Decided by:  root\n"));
    assert_true(contains(closed, "  Note:        \"not reachable on file\"\n"));
}

void typed_text_cannot_pose_as_our_output(void**) {
    HelpRequest forged = sample_request();
    forged.contact = "x\n  State:       approved";
    forged.reason = "\x1b[2J\"done\"";
    forged.user = "bob\nRequest ABC-DEF";
    const std::string text = format_request_text(forged);
    assert_true(contains(text, "  Contact:     \"x\\n  State:       approved\"\n"));
    assert_true(contains(text, "  Reason:      \"\\u{001B}[2J\\\"done\\\"\"\n"));
    assert_true(contains(text, "  User:        \"bob\\nRequest ABC-DEF\"\n"));
    assert_false(contains(text, "\x1b"));
    // Still the twelve lines of one request.
    assert_int_equal(std::count(text.begin(), text.end(), '\n'), 12);
}

void reminds_before_the_list(void**) {
    const std::vector<HelpRequest> two{sample_request(), sample_request()};
    const std::string text = format_requests_text(two, false);
    assert_int_equal(text.find(kIdentityReminder), 0);
    assert_true(contains(kIdentityReminder, "already on file"));
    assert_true(contains(kIdentityReminder, "whoever sat at the login prompt wrote them"));
    const auto first = text.find("Request K7Q-4MZ");
    assert_true(first != std::string::npos);
    assert_true(text.find("Request K7Q-4MZ", first + 1) != std::string::npos);
}

void says_when_there_are_none(void**) {
    assert_string_equal(format_requests_text({}, false).c_str(), "No open requests.\n");
    assert_string_equal(format_requests_text({}, true).c_str(), "No requests.\n");
    assert_string_equal(format_requests_json({}).c_str(), "[]\n");
}

void json_has_the_bus_keys_and_no_reminder(void**) {
    HelpRequest r = sample_request();
    r.contact = "line\nbreak \"quoted\"";
    r.reason = "bad \xff byte";  // never sent by the daemon; must not throw
    const std::string text = format_requests_json({r});
    assert_false(contains(text, "Confirm"));
    const auto parsed = nlohmann::json::parse(text);
    assert_true(parsed.is_array());
    assert_int_equal(parsed.size(), 1);
    const auto& object = parsed[0];
    std::vector<std::string> keys;
    for (const auto& item : object.items())
        keys.push_back(item.key());
    std::sort(keys.begin(), keys.end());
    const std::vector<std::string> expected{"Account", "Contact", "DecidedBy", "FiledAt", "Id", "Note",
                                            "RHost", "Reason", "Service", "State", "Tty", "User"};
    assert_true(keys == expected);
    assert_int_equal(object["FiledAt"].get<std::uint64_t>(), kFiledAt);
    assert_string_equal(object["Id"].get<std::string>().c_str(), "K7Q-4MZ");
    assert_string_equal(object["Contact"].get<std::string>().c_str(), "line\nbreak \"quoted\"");
    assert_string_equal(object["Reason"].get<std::string>().c_str(), "bad \xef\xbf\xbd byte");
}

void watch_prints_a_line_and_the_details_it_found(void**) {
    const FiledRequest filed{"K7Q-4MZ", "alice"};
    const std::string bare = format_filed(kFiledAt, filed, nullptr);
    assert_string_equal(bare.c_str(), "2026-11-25T10:00:00Z  request K7Q-4MZ for \"alice\"\n");
    const HelpRequest details = sample_request();
    const std::string full = format_filed(kFiledAt, filed, &details);
    assert_int_equal(full.find(bare), 0);
    assert_true(contains(full, "  Contact:     \"call 555-0100\"\n"));
    const FiledRequest odd{"K7Q-4MZ", "x\x1b[31m"};
    assert_true(contains(format_filed(kFiledAt, odd, nullptr), "for \"x\\u{001B}[31m\"\n"));
}

}  // namespace

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(shows_every_field),
        cmocka_unit_test(typed_text_cannot_pose_as_our_output),
        cmocka_unit_test(reminds_before_the_list),
        cmocka_unit_test(says_when_there_are_none),
        cmocka_unit_test(json_has_the_bus_keys_and_no_reminder),
        cmocka_unit_test(watch_prints_a_line_and_the_details_it_found),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
