// Unit tests for the PAM module's bus client against a socket that accepts
// connections and never answers (a stopped dbus-daemon looks like this):
// every call ends by its own deadline, connect and handshake included; each
// call uses a connection of its own; a flow left open is cancelled.
// Timing is checked only against generous upper bounds.
#include "tests/unit/UnitTest.h"
#include "tests/unit/SilentBus.h"
#include "tests/unit/TestFiles.h"

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "common/UniqueFd.h"
#include "pam_module/DaemonClient.h"

using namespace recoveryd;
using namespace recoveryd::pam;

namespace {

constexpr std::uint64_t kTimeoutUsec = 300 * 1000;
constexpr auto kGenerousBound = std::chrono::seconds(5);  // far above 300 ms, far below sd-bus's 25 s or 90 s

template <typename Call>
std::chrono::steady_clock::duration time_of(Call&& call) {
    const auto start = std::chrono::steady_clock::now();
    call();
    return std::chrono::steady_clock::now() - start;
}

void start_flow_ends_by_its_deadline_on_a_silent_bus(void**) {
    SilentBus bus;
    const DaemonClient client(bus.address(), kTimeoutUsec, 60 * 1000 * 1000);
    const auto elapsed = time_of([&] {
        auto flow = client.start_flow("alice", FlowContext{});
        assert_false(flow.ok());
        assert_int_equal(static_cast<int>(flow.error().code), static_cast<int>(ErrorCode::Unavailable));
    });
    assert_true(elapsed < kGenerousBound);
    assert_int_equal(bus.connections(), 1);
}

// MayOffer is asked after every failed password: a hung bus must not hold
// the login longer than the call timeout, and gives no answer (no offer).
void may_offer_ends_by_its_deadline_on_a_silent_bus(void**) {
    SilentBus bus;
    const DaemonClient client(bus.address(), kTimeoutUsec, 60 * 1000 * 1000);
    const auto elapsed = time_of([&] {
        auto offered = client.may_offer(FlowContext{});
        assert_false(offered.ok());
        assert_int_equal(static_cast<int>(offered.error().code), static_cast<int>(ErrorCode::Unavailable));
    });
    assert_true(elapsed < kGenerousBound);
    assert_int_equal(bus.connections(), 1);
}

void next_ends_by_its_own_deadline(void**) {
    SilentBus bus;
    const DaemonClient client(bus.address(), 60 * 1000 * 1000, kTimeoutUsec);
    std::vector<Secret> answers;
    answers.emplace_back("123456");
    const auto elapsed = time_of([&] { assert_false(client.next("/io/recoveryd/Recovery1/flow/x", answers).ok()); });
    assert_true(elapsed < kGenerousBound);
}

void a_missing_socket_fails_at_once(void**) {
    const DaemonClient client("unix:path=/nonexistent/recoveryd-unit/socket", kTimeoutUsec, kTimeoutUsec);
    assert_false(client.start_flow("alice", FlowContext{}).ok());
    assert_false(client.cancel("/io/recoveryd/Recovery1/flow/x").ok());
}

void each_call_connects_anew(void**) {
    SilentBus bus;
    const DaemonClient client(bus.address(), kTimeoutUsec, kTimeoutUsec);
    (void)client.start_flow("alice", FlowContext{});
    (void)client.next("/io/recoveryd/Recovery1/flow/x", {});
    (void)client.cancel("/io/recoveryd/Recovery1/flow/x");
    assert_int_equal(bus.connections(), 3);
}

void a_flow_left_open_is_cancelled(void**) {
    SilentBus bus;
    const DaemonClient client(bus.address(), kTimeoutUsec, kTimeoutUsec);
    {
        Flow flow(client, "/io/recoveryd/Recovery1/flow/x");
        assert_false(flow.next({}).ok());
        assert_int_equal(bus.connections(), 1);  // Next
    }
    assert_int_equal(bus.connections(), 1);  // Cancel, when the flow went away
}

void a_flow_is_cancelled_once(void**) {
    SilentBus bus;
    const DaemonClient client(bus.address(), kTimeoutUsec, kTimeoutUsec);
    {
        Flow flow(client, "/io/recoveryd/Recovery1/flow/x");
        flow.cancel();
        assert_int_equal(bus.connections(), 1);
        Flow moved(std::move(flow));
    }
    assert_int_equal(bus.connections(), 0);  // neither the moved-to nor the moved-from flow cancels again
}

void the_module_uses_only_the_system_bus_socket(void**) {
    assert_string_equal(kSystemBusAddress, "unix:path=/run/dbus/system_bus_socket");
}

}  // namespace

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(start_flow_ends_by_its_deadline_on_a_silent_bus),
        cmocka_unit_test(may_offer_ends_by_its_deadline_on_a_silent_bus),
        cmocka_unit_test(next_ends_by_its_own_deadline),
        cmocka_unit_test(a_missing_socket_fails_at_once),
        cmocka_unit_test(each_call_connects_anew),
        cmocka_unit_test(a_flow_left_open_is_cancelled),
        cmocka_unit_test(a_flow_is_cancelled_once),
        cmocka_unit_test(the_module_uses_only_the_system_bus_socket),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
