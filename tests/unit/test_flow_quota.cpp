// FlowQuota: the caps of [Limits] on open flows, in total, per invoking
// user, per terminal and per remote host.

#include "tests/unit/UnitTest.h"

#include <string>

#include "daemon/flow/FlowQuota.h"

using namespace recoveryd;

namespace {

constexpr FlowLimits kLimits{10, 2, 3, 4};

FlowContext local(const char* tty, std::int64_t app_uid = 0, std::int64_t login_uid = -1) {
    FlowContext context;
    context.tty = tty;
    context.app_uid = app_uid;
    context.login_uid = login_uid;
    return context;
}

FlowContext remote(const char* host) {
    FlowContext context;
    context.tty = "ssh";
    context.rhost = host;
    return context;
}

bool admits(FlowQuota& quota, const FlowContext& context) { return quota.admit(kLimits, context).ok(); }

void caps_an_invoking_user_other_than_root(void**) {
    FlowQuota quota;
    // su run by uid 1000 from different terminals: its login uid counts.
    assert_true(admits(quota, local("pts/1", 1000, 1000)));
    assert_true(admits(quota, local("pts/2", 1000, 1000)));
    auto refused = quota.admit(kLimits, local("pts/3", 1000, 1000));
    assert_false(refused.ok());
    assert_int_equal(static_cast<int>(refused.error().code), static_cast<int>(ErrorCode::Unavailable));
    // The login uid survives su: another real uid does not escape the cap.
    assert_false(admits(quota, local("pts/4", 1001, 1000)));
    // Without a login uid, the real uid counts.
    assert_true(admits(quota, local("pts/5", 1002)));
    // Root programs (login, sshd) are not capped as a user.
    for (const char* tty : {"tty1", "tty2", "tty3"})
        assert_true(admits(quota, local(tty)));
}

void caps_a_terminal_and_a_remote_host(void**) {
    FlowQuota quota;
    for (int i = 0; i < 3; ++i)
        assert_true(admits(quota, local("tty1")));
    assert_false(admits(quota, local("tty1")));
    // sshd names every terminal "ssh": remote logins count per host instead.
    for (int i = 0; i < 4; ++i)
        assert_true(admits(quota, remote("192.0.2.1")));
    assert_false(admits(quota, remote("192.0.2.1")));
    assert_true(admits(quota, remote("192.0.2.2")));
}

void caps_the_total_and_releases(void**) {
    FlowQuota quota;
    for (int i = 0; i < 10; ++i)
        assert_true(admits(quota, remote(("198.51.100." + std::to_string(i)).c_str())));
    assert_false(admits(quota, remote("203.0.113.1")));
    quota.release(remote("198.51.100.0"));
    assert_int_equal(quota.open(), 9);
    assert_true(admits(quota, remote("203.0.113.1")));
    // A released place is free again for the same source.
    FlowQuota terminal;
    for (int i = 0; i < 3; ++i)
        assert_true(admits(terminal, local("tty1")));
    terminal.release(local("tty1"));
    assert_true(admits(terminal, local("tty1")));
}

}  // namespace

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(caps_an_invoking_user_other_than_root),
        cmocka_unit_test(caps_a_terminal_and_a_remote_host),
        cmocka_unit_test(caps_the_total_and_releases),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
