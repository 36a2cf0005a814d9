// Unit tests for the PAM module's StartFlow when recoveryd is giving up its
// bus name for idleness: that instance answers Error.Stopping, and the
// module calls once more (the bus has seen the release by then, so the
// call reaches the next instance). Any other refusal is not repeated, and
// Stopping twice ends the call. A stand-in for recoveryd owns the name on a
// dbus-daemon of the test's own and answers from a thread.
#include "tests/unit/UnitTest.h"
#include "tests/unit/PrivateBus.h"

#include <atomic>
#include <thread>

#include "common/BusNames.h"
#include "common/SdBus.h"
#include "pam_module/DaemonClient.h"

using namespace recoveryd;
using namespace recoveryd::pam;

namespace {

constexpr std::uint64_t kTimeoutUsec = 20ULL * 1000 * 1000;  // a generous bound: nothing here waits
constexpr const char* kFlowPath = "/io/recoveryd/Recovery1/flow/0123456789abcdef0123456789abcdef";

// Owns recoveryd's name; refuses the first `refusals` StartFlow calls with
// `refusal`, then starts a flow.
class StandIn {
public:
    StandIn(int refusals, const char* refusal) : refusals_(refusals), refusal_(refusal) {
        sd_bus* raw = nullptr;
        assert_true(sd_bus_open_system(&raw) >= 0);
        bus_.reset(raw);
        assert_true(sd_bus_add_object_vtable(bus_.get(), nullptr, bus::kObjectPath, bus::kManagerInterface, kVtable,
                                             this) >= 0);
        assert_true(sd_bus_request_name(bus_.get(), bus::kServiceName, 0) >= 0);
        thread_ = std::thread([this] { serve(); });
    }
    ~StandIn() {
        stop_ = true;
        thread_.join();
    }
    StandIn(const StandIn&) = delete;
    StandIn& operator=(const StandIn&) = delete;

    int calls() const { return calls_; }

private:
    void serve() {
        while (!stop_)
            if (sd_bus_process(bus_.get(), nullptr) == 0)
                sd_bus_wait(bus_.get(), 20 * 1000);  // wakes to look at stop_
    }

    static int on_start_flow(sd_bus_message* m, void* userdata, sd_bus_error* error) {
        auto& self = *static_cast<StandIn*>(userdata);
        if (++self.calls_ <= self.refusals_)
            return sd_bus_error_set(error, self.refusal_, "refused by the stand-in");
        return sd_bus_reply_method_return(m, "o", kFlowPath);
    }

    static constexpr sd_bus_vtable kVtable[] = {
        SD_BUS_VTABLE_START(0),
        SD_BUS_METHOD("StartFlow", "sa{sv}", "o", on_start_flow, 0),
        SD_BUS_VTABLE_END,
    };

    const int refusals_;
    const char* const refusal_;
    BusPtr bus_;
    std::atomic<int> calls_{0};
    std::atomic<bool> stop_{false};
    std::thread thread_;
};

Result<std::string> start_flow(const PrivateBus& bus) {
    const DaemonClient client(bus.address(), kTimeoutUsec, kTimeoutUsec);
    return client.start_flow("alice", FlowContext{});
}

void a_stopping_instance_is_asked_once_more(void**) {
    PrivateBus bus;
    StandIn daemon(1, bus::kErrorStopping);
    auto flow = start_flow(bus);
    assert_true(flow.ok());
    assert_string_equal(flow->c_str(), kFlowPath);
    assert_int_equal(daemon.calls(), 2);
}

void stopping_twice_ends_the_call(void**) {
    PrivateBus bus;
    StandIn daemon(2, bus::kErrorStopping);
    auto flow = start_flow(bus);
    assert_false(flow.ok());
    assert_int_equal(static_cast<int>(flow.error().code), static_cast<int>(ErrorCode::Unavailable));
    assert_int_equal(daemon.calls(), 2);
}

// A busy daemon (too many flows) is not asked again at once.
void other_refusals_are_not_repeated(void**) {
    PrivateBus bus;
    StandIn daemon(1, "io.recoveryd.Recovery1.Error.Unavailable");
    assert_false(start_flow(bus).ok());
    assert_int_equal(daemon.calls(), 1);
}

}  // namespace

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_stopping_instance_is_asked_once_more),
        cmocka_unit_test(stopping_twice_ends_the_call),
        cmocka_unit_test(other_refusals_are_not_repeated),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
