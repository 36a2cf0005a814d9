// [Daemon] IdleExitSec: its default is the shipped file's, 0 (never) and
// values up to a day are taken, anything else is refused with file, line and
// reason, like every other key.
#include "tests/unit/UnitTest.h"
#include "tests/unit/PolicyText.h"

#include <cstring>
#include <filesystem>
#include <string>

#include "daemon/policy/PolicyLoader.h"

using namespace recoveryd;
namespace fs = std::filesystem;

namespace {

void default_is_a_minute(void**) {
    auto policy = load_policy_text("");
    assert_true(policy.ok());
    assert_int_equal(policy->daemon.idle_exit.count(), 60);
    assert_non_null(strstr(describe_policy(*policy).c_str(), "\n[Daemon]\nIdleExitSec = 60\n"));
}

void takes_zero_up_to_a_day(void**) {
    for (const long seconds : {0L, 1L, 86400L}) {
        auto policy = load_policy_text("[Daemon]\nIdleExitSec = " + std::to_string(seconds) + "\n");
        assert_true(policy.ok());
        assert_int_equal(policy->daemon.idle_exit.count(), seconds);
    }
}

void refuses_anything_else(void**) {
    const struct {
        const char* value;
        const char* reason;
    } cases[] = {
        {"86401", "must be between 0 and 86400"},
        {"-1", "expected a whole number"},
        {"1m", "expected a whole number"},
        {"", "expected a whole number"},
        {"60 s", "expected a whole number"},
    };
    for (const auto& c : cases) {
        auto policy = load_policy_text(std::string("[Daemon]\nIdleExitSec = ") + c.value + "\n");
        assert_false(policy.ok());
        const std::string expected = std::string("recoveryd.conf:2: IdleExitSec = ") + c.value + ": " + c.reason;
        if (policy.error().message.find(expected) == std::string::npos)
            fail_msg("\"%s\" does not contain \"%s\"", policy.error().message.c_str(), expected.c_str());
    }
    auto unknown = load_policy_text("[Daemon]\nIdleExit = 5\n");
    assert_false(unknown.ok());
    assert_non_null(strstr(unknown.error().message.c_str(), "unknown setting IdleExit in [Daemon]"));
}

}  // namespace

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(default_is_a_minute),
        cmocka_unit_test(takes_zero_up_to_a_day),
        cmocka_unit_test(refuses_anything_else),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
