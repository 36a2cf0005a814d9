// CallsPerCaller (daemon/bus): a caller other than root has at most `max`
// calls out; each done gives one back; callers count apart.
#include "tests/unit/UnitTest.h"

#include "daemon/bus/CallsPerCaller.h"

using namespace recoveryd;

namespace {

void a_caller_has_at_most_max_calls_out(void**) {
    CallsPerCaller calls(2);
    assert_true(calls.start(1000));
    assert_true(calls.start(1000));
    assert_false(calls.start(1000));
    assert_true(calls.start(1001));  // another caller counts apart
    calls.done(1000);
    assert_true(calls.start(1000));
    assert_false(calls.start(1000));
    calls.done(1000);
    calls.done(1000);
    assert_true(calls.start(1000));
    assert_true(calls.start(1000));
    assert_false(calls.start(1000));
}

void root_is_never_counted(void**) {
    CallsPerCaller calls(1);
    for (int i = 0; i < 100; ++i)
        assert_true(calls.start(0));
    calls.done(0);  // harmless
    assert_true(calls.start(1000));
    assert_false(calls.start(1000));
}

}  // namespace

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_caller_has_at_most_max_calls_out),
        cmocka_unit_test(root_is_never_counted),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
