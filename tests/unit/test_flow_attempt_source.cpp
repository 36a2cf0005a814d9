// Where identity checks are counted from (attempt_source, the rate limits'
// "source"): one local user is one source however many terminals they open.

#include "tests/unit/UnitTest.h"

#include "daemon/flow/FlowContext.h"

using namespace recoveryd;

namespace {

FlowContext context(const char* rhost, const char* tty, std::int64_t app_uid, std::int64_t login_uid) {
    FlowContext c;
    c.service = "su";
    c.rhost = rhost;
    c.tty = tty;
    c.app_uid = app_uid;
    c.login_uid = login_uid;
    return c;
}

void a_remote_host_first(void**) {
    assert_string_equal(attempt_source(context("192.0.2.7", "ssh", 0, 1001)).c_str(), "rhost:192.0.2.7");
}

// su or sudo by a local user: each pty would be a source of its own, and
// ten failures from each of hundreds of them would reach the total limit,
// which locks recovery for everyone.
void a_local_user_whatever_the_terminal(void**) {
    for (const char* tty : {"pts/1", "pts/2", "pts/300", ""})
        assert_string_equal(attempt_source(context("", tty, 1001, 1001)).c_str(), "uid:1001");
    // The login uid survives su and sudo; the application's uid is the fallback.
    assert_string_equal(attempt_source(context("", "pts/1", 1002, FlowContext::kUnknownUid)).c_str(), "uid:1002");
    assert_string_equal(attempt_source(context("", "pts/1", 0, 1003)).c_str(), "uid:1003");
}

// login and getty run as root with no login uid yet: the terminal, else the
// service.
void root_programs_by_terminal_then_service(void**) {
    assert_string_equal(attempt_source(context("", "tty1", 0, FlowContext::kUnknownUid)).c_str(), "tty:tty1");
    assert_string_equal(attempt_source(context("", "tty1", 0, 0)).c_str(), "tty:tty1");
    assert_string_equal(attempt_source(context("", "", 0, FlowContext::kUnknownUid)).c_str(), "service:su");
}

}  // namespace

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_remote_host_first),
        cmocka_unit_test(a_local_user_whatever_the_terminal),
        cmocka_unit_test(root_programs_by_terminal_then_service),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
