// Unit tests for where recovery may start: [Recovery] Services and
// AllowRemote as the policy files set them (bad names refused with file,
// line and reason), shown by describe_policy, and the one function that
// decides (recovery_offered / offer_refusal).
#include "tests/unit/UnitTest.h"
#include "tests/unit/PolicyText.h"

#include <string>

#include "daemon/policy/Offering.h"
#include "daemon/policy/PolicyLoader.h"

using namespace recoveryd;

namespace {

Policy loaded(const std::string& text) {
    auto policy = load_policy_text(text);
    if (!policy)
        fail_msg("policy refused: %s", policy.error().message.c_str());
    return std::move(policy.value());
}

void expect_refused(const std::string& text, const std::string& needle) {
    auto policy = load_policy_text(text);
    if (policy)
        fail_msg("policy accepted: %s", text.c_str());
    if (policy.error().message.find(needle) == std::string::npos)
        fail_msg("error \"%s\" does not contain \"%s\"", policy.error().message.c_str(), needle.c_str());
}

FlowContext login(const std::string& service, const std::string& rhost = {}) {
    FlowContext context;
    context.service = service;
    context.tty = rhost.empty() ? "tty1" : "ssh";
    context.rhost = rhost;
    return context;
}

bool contains(const std::string& text, const std::string& needle) { return text.find(needle) != std::string::npos; }

void defaults_offer_everywhere(void**) {
    const Policy policy = loaded("");
    assert_true(policy.services.empty());
    assert_true(policy.allow_remote);
    assert_true(recovery_offered(policy, login("login")));
    assert_true(recovery_offered(policy, login("sshd", "192.0.2.7")));
    assert_true(recovery_offered(policy, login("")));  // no list: a login naming no service too
}

void services_and_allow_remote_are_read(void**) {
    const Policy policy = loaded("[Recovery]\nServices = login  gdm-password\tsshd\nAllowRemote = no\n");
    assert_int_equal(policy.services.size(), 3);
    assert_string_equal(policy.services[0].c_str(), "login");
    assert_string_equal(policy.services[1].c_str(), "gdm-password");
    assert_string_equal(policy.services[2].c_str(), "sshd");
    assert_false(policy.allow_remote);
    const std::string described = describe_policy(policy);
    assert_true(contains(described, "\nServices = login gdm-password sshd\n"));
    assert_true(contains(described, "\nAllowRemote = no\n"));

    // An empty list (a later file's "Services =") means every service again.
    assert_true(loaded("[Recovery]\nServices =\n").services.empty());
    assert_true(contains(describe_policy(loaded("")), "\nServices =\nAllowRemote = yes\n"));
}

void bad_service_names_are_refused_with_file_and_line(void**) {
    expect_refused("[Recovery]\nServices = login Sshd\n",
                   "recoveryd.conf:2: Services = login Sshd: 'Sshd' is not a PAM service name: write it in lower case");
    expect_refused("[Recovery]\nServices = login,sshd\n",
                   ":2: Services = login,sshd: 'login,sshd' is not a PAM service name: use the name of a file in "
                   "/etc/pam.d (letters a-z, digits, '.', '_', '-'), and separate names with spaces");
    for (const char* bad : {"../login", "pam.d/login", "-login", ".login", "_login", "login*", "l\xc3\xb6gin"})
        expect_refused(std::string("\n[Recovery]\nServices = ") + bad + "\n",
                       std::string(":3: Services = ") + bad + ": '" + bad + "' is not a PAM service name");
    expect_refused("[Recovery]\nAllowRemote = maybe\n", ":2: AllowRemote = maybe: expected yes or no");
    expect_refused("[Recovery]\nAllowRemote = no\nAllowRemote = yes\n", ":3: AllowRemote is set twice in this file");
}

void service_name_syntax(void**) {
    for (const char* good : {"login", "sshd", "gdm-password", "polkit-1", "sudo-i", "xrdp-sesman", "a", "9p",
                             "my_app.local"})
        if (!validate_service_name(good))
            fail_msg("'%s' refused", good);
    assert_true(validate_service_name(std::string(255, 'a')).ok());
    assert_false(validate_service_name(std::string(256, 'a')).ok());
    assert_false(validate_service_name("").ok());
    assert_false(validate_service_name("log in").ok());
    assert_false(validate_service_name("login\n").ok());
}

void services_list_limits_the_offer(void**) {
    const Policy policy = loaded("[Recovery]\nServices = login gdm-password\n");
    assert_true(recovery_offered(policy, login("login")));
    assert_true(recovery_offered(policy, login("gdm-password")));
    assert_false(recovery_offered(policy, login("sshd", "192.0.2.7")));
    assert_false(recovery_offered(policy, login("su")));
    assert_false(recovery_offered(policy, login("log")));     // whole names only
    assert_false(recovery_offered(policy, login("logins")));
    assert_false(recovery_offered(policy, login("")));        // a login naming no service is left out
    const auto why = offer_refusal(policy, login("su"));
    assert_true(why.has_value());
    assert_true(contains(*why, "'su'") && contains(*why, "Services"));
    assert_true(contains(offer_refusal(policy, login("")).value_or(""), "names no PAM service"));
}

void allow_remote_no_keeps_remote_logins_out(void**) {
    const Policy policy = loaded("[Recovery]\nAllowRemote = no\n");
    assert_true(recovery_offered(policy, login("login")));
    assert_true(recovery_offered(policy, login("sshd")));  // no remote host named: local
    assert_false(recovery_offered(policy, login("sshd", "192.0.2.7")));
    assert_false(recovery_offered(policy, login("login", "localhost")));  // any host named counts
    assert_true(contains(offer_refusal(policy, login("sshd", "192.0.2.7")).value_or(""), "AllowRemote = no"));

    // Both: each condition holds on its own.
    const Policy both = loaded("[Recovery]\nServices = sshd\nAllowRemote = no\n");
    assert_true(recovery_offered(both, login("sshd")));
    assert_false(recovery_offered(both, login("sshd", "192.0.2.7")));
    assert_false(recovery_offered(both, login("login")));
}

void disabled_offers_nowhere(void**) {
    const Policy policy = loaded("[Recovery]\nEnabled = no\n");
    assert_false(recovery_offered(policy, login("login")));
    assert_false(recovery_offered(policy, login("")));
    assert_true(contains(offer_refusal(policy, login("login")).value_or(""), "Enabled = no"));
}

}  // namespace

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(defaults_offer_everywhere),
        cmocka_unit_test(services_and_allow_remote_are_read),
        cmocka_unit_test(bad_service_names_are_refused_with_file_and_line),
        cmocka_unit_test(service_name_syntax),
        cmocka_unit_test(services_list_limits_the_offer),
        cmocka_unit_test(allow_remote_no_keeps_remote_logins_out),
        cmocka_unit_test(disabled_offers_nowhere),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
