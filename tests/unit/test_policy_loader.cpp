// Unit tests for the policy files: defaults from policy/recoveryd.conf,
// the admin's file and drop-ins in order, and every kind of bad file refused
// with file, line and reason.
#include "tests/unit/UnitTest.h"
#include "tests/unit/TestFiles.h"

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <iterator>
#include <sstream>
#include <fstream>
#include <string>
#include <sys/stat.h>
#include <unistd.h>

#include "daemon/policy/Eligibility.h"
#include "daemon/policy/PolicyLoader.h"

using namespace recoveryd;
namespace fs = std::filesystem;

namespace {

struct PolicyDir {
    TempDir root{"policy"};
    PolicyPaths paths;

    PolicyDir() {
        paths.config_file = root / "recoveryd.conf";
        paths.dropin_dir = root / "recoveryd.conf.d";
    }

    void write(const fs::path& path, const std::string& text) const {
        fs::create_directories(path.parent_path());
        std::ofstream(path) << text;
        chmod(path.c_str(), 0644);
    }
    void write_main(const std::string& text) const { write(paths.config_file, text); }
    void write_dropin(const std::string& name, const std::string& text) const {
        write(paths.dropin_dir / name, text);
    }
};

std::string read_source_file(const std::string& relative) {
    const char* source = getenv("RECOVERYD_SOURCE_DIR");
    assert_non_null(source);
    return read_file_bytes(fs::path(source) / relative);
}

// Every "Key = value" line of a file, in order, with the section headers.
std::string settings_of(const std::string& text) {
    std::string out;
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);)
        if (!line.empty() && line[0] != '#')
            out += line + "\n";
    return out;
}

void expect_error(const PolicyDir& dir, const std::string& needle, ErrorCode code = ErrorCode::InvalidArgument) {
    auto policy = load_policy(dir.paths);
    assert_false(policy.ok());
    assert_int_equal(static_cast<int>(policy.error().code), static_cast<int>(code));
    if (policy.error().message.find(needle) == std::string::npos)
        fail_msg("error \"%s\" does not contain \"%s\"", policy.error().message.c_str(), needle.c_str());
}

void defaults_are_the_shipped_file(void**) {
    PolicyDir dir;  // no admin file, no drop-ins
    auto policy = load_policy(dir.paths);
    assert_true(policy.ok());
    // The C++ struct holds no defaults of its own: describing the loaded
    // policy reproduces exactly the settings written in policy/recoveryd.conf.
    const std::string shipped = settings_of(read_source_file("policy/recoveryd.conf"));
    const std::string described = settings_of(describe_policy(*policy));
    assert_string_equal(described.c_str(), shipped.c_str());
    assert_true(policy->enabled);
    assert_false(policy->allow_root);
    assert_int_equal(policy->min_uid, 1000);
    assert_int_equal(policy->flow_timeout.count(), 300);
}

void admin_file_overrides_defaults(void**) {
    PolicyDir dir;
    dir.write_main("[Recovery]\nAllowGroups = users wheel\nFlowTimeoutSec = 60\n"
                   "AfterReset = continue\n; a comment\n# another\n[Password]\nMinLength = 20\n");
    auto policy = load_policy(dir.paths);
    assert_true(policy.ok());
    assert_int_equal(policy->allow_groups.size(), 2);
    assert_string_equal(policy->allow_groups[1].c_str(), "wheel");
    assert_int_equal(policy->flow_timeout.count(), 60);
    assert_true(policy->after_reset == AfterReset::Continue);
    assert_int_equal(policy->password.min_length, 20);
    assert_int_equal(policy->min_uid, 1000);  // untouched keys keep the default
}

void password_settings_default_and_override(void**) {
    PolicyDir dir;
    auto defaults = load_policy(dir.paths);
    assert_true(defaults.ok());
    assert_int_equal(defaults->password.min_length, 15);
    assert_int_equal(defaults->password.max_length, 127);
    assert_true(defaults->password.check_blocklist);
    assert_int_equal(defaults->password.remember_last, 5);

    dir.write_main("[Password]\nMinLength = 64\nMaxLength = 64\nCheckBlocklist = no\nRememberLast = 0\n");
    dir.write_dropin("10-history.conf", "[Password]\nRememberLast = 24\n");
    auto changed = load_policy(dir.paths);
    assert_true(changed.ok());
    assert_int_equal(changed->password.min_length, 64);
    assert_int_equal(changed->password.max_length, 64);
    assert_false(changed->password.check_blocklist);
    assert_int_equal(changed->password.remember_last, 24);
    const std::string described = describe_policy(*changed);
    for (const char* line : {"MinLength = 64\n", "MaxLength = 64\n", "CheckBlocklist = no\n", "RememberLast = 24\n"})
        assert_non_null(strstr(described.c_str(), line));
}

void dropins_apply_in_lexical_order(void**) {
    PolicyDir dir;
    dir.write_main("[Password]\nMinLength = 14\n");
    dir.write_dropin("20-b.conf", "[Password]\nMinLength = 30\n");
    dir.write_dropin("10-a.conf", "[Password]\nMinLength = 16\n[Recovery]\nEnabled = no\n");
    dir.write_dropin("99-ignored.conf.bak", "[Password]\nMinLength = nonsense\n");
    dir.write_dropin("README", "not a policy file");
    auto policy = load_policy(dir.paths);
    assert_true(policy.ok());
    assert_int_equal(policy->password.min_length, 30);
    assert_false(policy->enabled);
}

void refuses_each_kind_of_bad_file(void**) {
    const struct {
        const char* text;
        const char* reason;
    } cases[] = {
        {"[Recovery]\nEnabled = maybe\n", "recoveryd.conf:2: Enabled = maybe: expected yes or no"},
        {"[Recovery]\nColour = blue\n", "recoveryd.conf:2: Colour = blue: unknown setting Colour in [Recovery]"},
        {"[Cosmetics]\nColour = blue\n", "recoveryd.conf:2: Colour = blue: unknown section [Cosmetics]"},
        {"[Recovery]\nFlowTimeoutSec = 5\n", ":2: FlowTimeoutSec = 5: must be between 30 and 3600"},
        {"[Recovery]\nFlowTimeoutSec = 5m\n", ":2: FlowTimeoutSec = 5m: expected a whole number"},
        {"[Recovery]\nMinUid = -1\n", ":2: MinUid = -1: expected a whole number"},
        {"[Password]\nMinLength = 4\n", ":2: MinLength = 4: must be between 8 and 64"},
        {"[Password]\nMinLength = 65\n", ":2: MinLength = 65: must be between 8 and 64"},
        {"[Password]\nMaxLength = 63\n", ":2: MaxLength = 63: must be between 64 and 127"},
        {"[Password]\nMaxLength = 128\n", ":2: MaxLength = 128: must be between 64 and 127"},
        {"[Password]\nCheckBlocklist = sometimes\n", ":2: CheckBlocklist = sometimes: expected yes or no"},
        {"[Password]\nRememberLast = 25\n", ":2: RememberLast = 25: must be between 0 and 24"},
        {"[Password]\nRememberLast = -1\n", ":2: RememberLast = -1: expected a whole number"},
        {"[Password]\nMinCapitals = 1\n", ":2: MinCapitals = 1: unknown setting MinCapitals in [Password]"},
        {"[Recovery]\nAfterReset = later\n", ":2: AfterReset = later: expected sign-in-again or continue"},
        {"[Recovery]\nAllowGroups = users Wheel!\n", ":2: AllowGroups = users Wheel!: 'Wheel!' is not a valid group name"},
        {"[Recovery]\nEnabled = yes\nEnabled = no\n", ":3: Enabled is set twice in this file"},
        {"[Recovery\n", ":1: expected '[Section]' or 'Key = value'"},
        {"[Recovery]\njust words\n", ":2: expected '[Section]' or 'Key = value'"},
        {"[Recovery]\nEnabled = yes # comment\n", ":2: Enabled = yes # comment: expected yes or no"},
        {"[Recovery]\nAllowGroups = a\n  b\n", ":3: indented line"},
        {"[Recovery]\nAllowGroups = \xff\n", ":2: not valid UTF-8"},
    };
    for (const auto& c : cases) {
        PolicyDir dir;
        dir.write_main(c.text);
        expect_error(dir, c.reason);
    }
    PolicyDir long_line;
    long_line.write_main("[Recovery]\nAllowGroups = " + std::string(300, 'a') + "\n");
    expect_error(long_line, ":2: line longer than");
}

// Each [Admin] number is refused one past either end of its range and when
// it is no whole number; the ends themselves are accepted.
void refuses_bad_admin_settings(void**) {
    const struct {
        const char* key;
        const char* min;
        const char* max;
        const char* below;
        const char* above;
    } ranges[] = {
        {"ApprovalCodeLifetimeSec", "60", "86400", "59", "86401"},
        {"RequestLifetimeSec", "3600", "2592000", "3599", "2592001"},
        {"MaxOpenRequestsPerUser", "1", "100", "0", "101"},
        {"MaxOpenRequestsPerSource", "1", "100", "0", "101"},
        {"MaxOpenRequests", "1", "100000", "0", "100001"},
        {"NotifyHookTimeoutSec", "1", "300", "0", "301"},
    };
    for (const auto& r : ranges) {
        const std::string key(r.key);
        const std::string range = std::string(": must be between ") + r.min + " and " + r.max;
        for (const char* ok : {r.min, r.max}) {
            PolicyDir dir;
            dir.write_main("[Admin]\n" + key + " = " + ok + "\n");
            auto policy = load_policy(dir.paths);
            if (!policy.ok())
                fail_msg("%s = %s refused: %s", r.key, ok, policy.error().message.c_str());
        }
        for (const char* bad : {r.below, r.above}) {
            PolicyDir dir;
            dir.write_main("[Admin]\n" + key + " = " + bad + "\n");
            expect_error(dir, "recoveryd.conf:2: " + key + " = " + bad + range);
        }
        for (const char* malformed : {"-5", "10m", "ten", "1e3", "0x10", "10 minutes", "+60"}) {
            PolicyDir dir;
            dir.write_main("[Admin]\nGroups = helpdesk\n" + key + " = " + malformed + "\n");
            expect_error(dir, "recoveryd.conf:3: " + key + " = " + malformed + ": expected a whole number");
        }
        PolicyDir empty;
        empty.write_main("[Admin]\n" + key + " =\n");
        expect_error(empty, "recoveryd.conf:2: " + key + " =");
        expect_error(empty, "expected a whole number");
    }
    const struct {
        const char* text;
        const char* reason;
    } cases[] = {
        {"[Admin]\nNotifyHook = notify-admins\n", "recoveryd.conf:2: NotifyHook = notify-admins: "},
        {"[Admin]\nNotifyHook = ./notify-admins\n", "recoveryd.conf:2: NotifyHook = ./notify-admins: "},
        {"[Admin]\nGroups = helpdesk Wheel!\n", "recoveryd.conf:2: Groups = helpdesk Wheel!: 'Wheel!' is not a valid"},
        {"[Admin]\nGroups = -helpdesk\n", "recoveryd.conf:2: Groups = -helpdesk: '-helpdesk' is not a valid group"},
        {"[Admin]\nGroups = help:desk\n", "recoveryd.conf:2: Groups = help:desk: 'help:desk' is not a valid group"},
    };
    for (const auto& c : cases) {
        PolicyDir dir;
        dir.write_main(c.text);
        expect_error(dir, c.reason);
    }
    // The relative hook is refused for being relative, not for being missing.
    PolicyDir relative;
    relative.write_main("[Admin]\nNotifyHook = notify-admins\n");
    expect_error(relative, "must be an absolute path");
}

void bad_dropin_is_named(void**) {
    PolicyDir dir;
    dir.write_dropin("10-ok.conf", "[Recovery]\nEnabled = yes\n");
    dir.write_dropin("50-bad.conf", "[Recovery]\n\nMinUid = lots\n");
    expect_error(dir, "recoveryd.conf.d/50-bad.conf:3: MinUid = lots: expected a whole number");
}

void refuses_files_others_could_write(void**) {
    PolicyDir dir;
    dir.write_main("[Recovery]\nEnabled = yes\n");
    chmod(dir.paths.config_file.c_str(), 0666);
    expect_error(dir, "must be owned by root and writable only by root", ErrorCode::AccessDenied);

    PolicyDir owned;
    owned.write_main("[Recovery]\nEnabled = yes\n");
    assert_int_equal(chown(owned.paths.config_file.c_str(), 65534, 0), 0);
    expect_error(owned, "must be owned by root", ErrorCode::AccessDenied);

    PolicyDir open_dir;
    open_dir.write_dropin("10-a.conf", "[Recovery]\nEnabled = yes\n");
    chmod(open_dir.paths.dropin_dir.c_str(), 0777);
    expect_error(open_dir, "recoveryd.conf.d: must be owned by root", ErrorCode::AccessDenied);
}

void refuses_unreadable_and_odd_files(void**) {
    PolicyDir as_dir;
    fs::create_directories(as_dir.paths.config_file);
    expect_error(as_dir, "not a regular file");

    PolicyDir binary;
    binary.write_main(std::string("[Recovery]\nEnabled = yes\n\0junk", 30));
    expect_error(binary, "contains a NUL byte");
}

UserRecord user(uid_t uid, std::vector<std::string> groups) {
    return UserRecord{"someone", uid, uid, std::move(groups)};
}

void eligibility_follows_policy(void**) {
    PolicyDir dir;
    auto policy = load_policy(dir.paths);
    assert_true(policy.ok());
    assert_false(may_recover(*policy, user(0, {"root"})));       // root never by default
    assert_false(may_recover(*policy, user(999, {"users"})));    // below MinUid
    assert_true(may_recover(*policy, user(1000, {"users"})));

    policy->allow_root = true;
    assert_true(may_recover(*policy, user(0, {"root"})));

    policy->allow_groups = {"recovery"};
    assert_false(may_recover(*policy, user(1000, {"users"})));
    assert_true(may_recover(*policy, user(1000, {"users", "recovery"})));  // supplementary

    policy->enabled = false;
    assert_false(may_recover(*policy, user(1000, {"recovery"})));
}

void real_users_database_lists_groups(void**) {
    auto root = find_user_by_name("root");
    assert_true(root.ok());
    assert_int_equal(root->uid, 0);
    assert_true(std::find(root->groups.begin(), root->groups.end(), "root") != root->groups.end());
    auto by_uid = find_user_by_uid(0);
    assert_true(by_uid.ok());
    assert_string_equal(by_uid->name.c_str(), "root");
    auto missing = find_user_by_name("no-such-user-xyz");
    assert_false(missing.ok());
    assert_int_equal(static_cast<int>(missing.error().code), static_cast<int>(ErrorCode::NotFound));
}

}  // namespace

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(defaults_are_the_shipped_file),
        cmocka_unit_test(admin_file_overrides_defaults),
        cmocka_unit_test(password_settings_default_and_override),
        cmocka_unit_test(dropins_apply_in_lexical_order),
        cmocka_unit_test(refuses_each_kind_of_bad_file),
        cmocka_unit_test(refuses_bad_admin_settings),
        cmocka_unit_test(bad_dropin_is_named),
        cmocka_unit_test(refuses_files_others_could_write),
        cmocka_unit_test(refuses_unreadable_and_odd_files),
        cmocka_unit_test(eligibility_follows_policy),
        cmocka_unit_test(real_users_database_lists_groups),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
