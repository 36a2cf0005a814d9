// Unit tests for the rules every new password meets (daemon/password):
// each rule refuses with its own message, in order; lengths count
// characters, not bytes; libpwquality honours its configuration file; the
// history rule compares with crypt hashes, as many as the policy remembers.
#include "tests/unit/UnitTest.h"
#include "tests/unit/TestFiles.h"

#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include "daemon/password/PasswordRules.h"
#include "daemon/shadow/PasswordHasher.h"

using namespace recoveryd;

namespace {

constexpr const char* kGood = "brand new password 5678";  // 23 characters
constexpr const char* kNoConfig = "/nonexistent/pwquality.conf";

PasswordPolicy policy(bool blocklist = true, std::size_t remember = 5) { return {15, 127, blocklist, remember}; }

// A pwquality.conf of the test's own (empty: the system's).
struct PwqualityConfig {
    TempDir dir{"pwquality"};
    std::filesystem::path file = dir / "pwquality.conf";
    explicit PwqualityConfig(const std::string& text) { std::ofstream(file) << text; }
};

std::optional<PasswordRefusal> check(const PasswordPolicy& rules, const char* user, const std::string& candidate,
                                     const std::vector<Secret>& hashes = {},
                                     const std::filesystem::path& config = {}) {
    auto result = check_new_password(rules, PasswordOwner{user, hashes}, Secret(candidate), config);
    if (!result.ok())
        fail_msg("%s", result.error().message.c_str());
    return std::move(result.value());
}

void expect_refused(const std::optional<PasswordRefusal>& refusal, PasswordRule rule, const char* message) {
    if (!refusal)
        fail_msg("accepted, expected \"%s\"", message);
    assert_string_equal(rule_name(refusal->rule), rule_name(rule));
    assert_string_equal(refusal->message.c_str(), message);
}

void expect_accepted(const std::optional<PasswordRefusal>& refusal) {
    if (refusal)
        fail_msg("refused: %s (%s)", refusal->message.c_str(), refusal->detail.c_str());
}

std::string repeat(std::string_view piece, std::size_t times) {
    std::string out;
    for (std::size_t i = 0; i < times; ++i)
        out += piece;
    return out;
}

Secret hash_of(const char* password) {
    TempDir dir("hasher");
    std::ofstream(dir / "login.defs") << "ENCRYPT_METHOD SHA512\n";
    auto hasher = PasswordHasher::from_system({dir / "common-password", dir / "login.defs"});
    assert_true(hasher.ok());
    auto hash = hasher->hash(Secret(password), "");
    assert_true(hash.ok());
    return std::move(hash.value());
}

void a_good_password_passes_every_rule(void**) {
    expect_accepted(check(policy(), "alice", kGood));
}

void length_counts_characters_not_bytes(void**) {
    const PasswordPolicy rules = policy(false);
    // 14 two-byte characters are 28 bytes, and still too short.
    expect_refused(check(rules, "alice", repeat("\xc3\xa9", 13) + "x"), PasswordRule::Length,
                   "Your new password is too short. Use at least 15 characters.");
    expect_accepted(check(rules, "alice", repeat("\xc3\xa9", 14) + "x"));
    expect_refused(check(rules, "alice", "fourteen chars"), PasswordRule::Length,
                   "Your new password is too short. Use at least 15 characters.");
    expect_accepted(check(rules, "alice", "fifteen chars!!"));
}

void the_maximum_length_is_in_characters_and_at_least_64_pass(void**) {
    // 127 four-byte characters (508 bytes: one answer holds 512, a crypt
    // passphrase 511) pass, also through libpwquality; 128 do not.
    const std::string faces = "\xf0\x9f\x98\x80\xf0\x9f\x99\x82\xf0\x9f\x98\x83\xf0\x9f\x98\x84"
                              "\xf0\x9f\x98\x85\xf0\x9f\x98\x86\xf0\x9f\x98\x89\xf0\x9f\x98\x8a";  // 8 faces
    const std::string longest = repeat(faces, 16).substr(4);
    assert_int_equal(count_characters(longest), 127);
    expect_accepted(check(policy(), "alice", longest));
    expect_refused(check(policy(), "alice", longest + "x"), PasswordRule::Length,
                   "Your new password is too long. Use at most 127 characters.");
    const std::string passphrase = "the quiet otter paints seven lanterns beside a frozen mill at dusk";
    assert_true(passphrase.size() >= 64);
    expect_accepted(check(policy(), "alice", passphrase));
    PasswordPolicy shortest_max = policy();
    shortest_max.max_length = 64;
    expect_accepted(check(shortest_max, "alice", passphrase.substr(0, 64)));
    expect_refused(check(shortest_max, "alice", passphrase.substr(0, 65)), PasswordRule::Length,
                   "Your new password is too long. Use at most 64 characters.");
}

void the_user_name_is_refused_in_any_case(void**) {
    // Without libpwquality, whose own user check would hide a broken one here.
    const PasswordPolicy rules = policy(false);
    for (const char* candidate : {"my name is alice, hi", "my name is ALICE, hi", "xxAlIcExx-long-enough"})
        expect_refused(check(rules, "alice", candidate), PasswordRule::UserName,
                       "Your password must not contain your user name.");
    expect_accepted(check(rules, "alice", "my name is alicia?"));
    // Names under 3 characters are not looked for: "ed" is in "red pedal".
    expect_accepted(check(rules, "ed", "a red pedal on the shed"));
    // libpwquality's check says the same, in the same words.
    expect_refused(check(policy(), "alice", "ecila-backwards-name"), PasswordRule::UserName,
                   "Your password must not contain your user name.");
}

void common_passwords_are_refused_by_the_blocklist(void**) {
    constexpr const char* kTooCommon =
        "This password is too common or too easy to guess. Choose another: a few unrelated words make a long "
        "password that is easy to remember.";
    for (const char* candidate : {"Password1234567", "Administrations", "qwertyuiop123456", "racecar-racecar"}) {
        const auto refusal = check(policy(), "alice", candidate);
        expect_refused(refusal, PasswordRule::Blocklist, kTooCommon);
        // The audit row says what libpwquality found, never the password.
        assert_non_null(strstr(refusal->detail.c_str(), "blocklist: libpwquality: "));
        assert_null(strstr(refusal->detail.c_str(), candidate));
    }
    // CheckBlocklist = no: libpwquality is not asked.
    expect_accepted(check(policy(false), "alice", "Password1234567"));
}

void pwquality_conf_is_honoured(void**) {
    const PwqualityConfig digits("# composition rules, as an administrator may ask\ndcredit = -2\n");
    expect_refused(check(policy(), "alice", "brand new password no digits", {}, digits.file),
                   PasswordRule::Blocklist, "Use at least 2 digits (0-9).");
    expect_accepted(check(policy(), "alice", kGood, {}, digits.file));

    const PwqualityConfig words("badwords = otter lantern\n");
    expect_refused(check(policy(), "alice", "the quiet otter paints", {}, words.file), PasswordRule::Blocklist,
                   "This password is too common or too easy to guess. Choose another: a few unrelated words make "
                   "a long password that is easy to remember.");

    const PwqualityConfig no_dictionary("dictcheck = 0\n");
    expect_accepted(check(policy(), "alice", "Administrations", {}, no_dictionary.file));

    // A setting libpwquality does not know: no password is accepted, and
    // the error names the file.
    const PwqualityConfig broken("minlenght = 20\n");
    auto refused = check_new_password(policy(), PasswordOwner{"alice", {}}, Secret(kGood), broken.file);
    assert_false(refused.ok());
    assert_non_null(strstr(refused.error().message.c_str(), broken.file.c_str()));
    assert_non_null(strstr(refused.error().message.c_str(), "minlenght"));
    auto missing = check_new_password(policy(), PasswordOwner{"alice", {}}, Secret(kGood), kNoConfig);
    assert_false(missing.ok());
}

// Without cracklib's dictionary every password would be "too common": that
// is the system's fault, said as such, not a refusal to the person.
void a_missing_dictionary_is_an_error_not_a_refusal(void**) {
    const PwqualityConfig nowhere("dictpath = /nonexistent/cracklib_dict\n");
    auto result = check_new_password(policy(), PasswordOwner{"alice", {}}, Secret(kGood), nowhere.file);
    assert_false(result.ok());
    assert_int_equal(static_cast<int>(result.error().code), static_cast<int>(ErrorCode::Unavailable));
    assert_non_null(strstr(result.error().message.c_str(), "cracklib-runtime"));
}

void recent_passwords_are_refused(void**) {
    std::vector<Secret> hashes;
    for (const char* password : {"first of the passwords", "second of the passwords", "third of the passwords"})
        hashes.push_back(hash_of(password));
    constexpr const char* kUsed = "You used this password recently. Choose one you have not used before.";
    expect_refused(check(policy(), "alice", "first of the passwords", hashes), PasswordRule::History, kUsed);
    expect_refused(check(policy(), "alice", "third of the passwords", hashes), PasswordRule::History, kUsed);
    expect_accepted(check(policy(), "alice", "fourth of the passwords", hashes));
    // Only as many as the policy remembers count, the newest first.
    expect_refused(check(policy(true, 2), "alice", "second of the passwords", hashes), PasswordRule::History, kUsed);
    expect_accepted(check(policy(true, 2), "alice", "third of the passwords", hashes));
    expect_accepted(check(policy(true, 0), "alice", "first of the passwords", hashes));
    // Locked or disabled hashes match nothing.
    std::vector<Secret> unusable;
    unusable.emplace_back("!" + std::string(hash_of("a locked password here").view()));
    unusable.emplace_back("*");
    expect_accepted(check(policy(), "alice", "a locked password here", unusable));
}

void the_first_rule_broken_is_the_answer(void**) {
    const std::vector<Secret> hashes = [] {
        std::vector<Secret> out;
        out.push_back(hash_of("alice"));
        out.push_back(hash_of("Password1234567"));
        return out;
    }();
    expect_refused(check(policy(), "alice", "alice", hashes), PasswordRule::Length,
                   "Your new password is too short. Use at least 15 characters.");
    expect_refused(check(policy(), "alice", "Password1234567", hashes), PasswordRule::Blocklist,
                   "This password is too common or too easy to guess. Choose another: a few unrelated words make "
                   "a long password that is easy to remember.");
}

}  // namespace

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_good_password_passes_every_rule),
        cmocka_unit_test(length_counts_characters_not_bytes),
        cmocka_unit_test(the_maximum_length_is_in_characters_and_at_least_64_pass),
        cmocka_unit_test(the_user_name_is_refused_in_any_case),
        cmocka_unit_test(common_passwords_are_refused_by_the_blocklist),
        cmocka_unit_test(pwquality_conf_is_honoured),
        cmocka_unit_test(a_missing_dictionary_is_an_error_not_a_refusal),
        cmocka_unit_test(recent_passwords_are_refused),
        cmocka_unit_test(the_first_rule_broken_is_the_answer),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
