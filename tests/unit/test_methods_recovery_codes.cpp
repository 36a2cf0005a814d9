// Unit tests for recovery codes: format, randomness, normalization, and
// hashes bound to the key and the user.
#include "tests/unit/UnitTest.h"
#include "tests/unit/TestFiles.h"

#include <filesystem>
#include <regex>
#include <set>
#include <sys/stat.h>
#include <unistd.h>
#include <string>

#include "daemon/methods/RecoveryCodes.h"

using namespace recoveryd;
namespace fs = std::filesystem;

namespace {

struct KeyDir {
    TempDir dir{"codes"};
    SecretKey key(const char* name = "key") const {
        auto key = SecretKey::load_or_create(dir / name);
        assert_true(key.ok());
        return std::move(key.value());
    }
};

void generates_ten_readable_distinct_codes(void**) {
    const std::regex format("[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}");
    std::set<std::string> seen;
    for (int round = 0; round < 50; ++round) {
        auto codes = generate_recovery_codes();
        assert_int_equal(codes.size(), kRecoveryCodesPerEnrollment);
        for (const Secret& code : codes) {
            assert_true(std::regex_match(std::string(code.view()), format));
            seen.insert(std::string(code.view()));
        }
    }
    assert_int_equal(seen.size(), 500);  // 80 random bits: no repeats
}

void every_character_position_varies(void**) {
    // Catches an encoder that leaves some bits unused.
    std::set<char> at[19];
    for (int round = 0; round < 200; ++round)
        for (const Secret& code : generate_recovery_codes())
            for (std::size_t i = 0; i < code.size(); ++i)
                at[i].insert(code.view()[i]);
    for (std::size_t i = 0; i < 19; ++i)
        if (i % 5 != 4)
            assert_true(at[i].size() > 20);
}

void normalizes_what_people_type(void**) {
    for (const char* typed : {"7KQ2-M9XD-4RTA-0BHC", "7kq2 m9xd 4rta 0bhc", "7KQ2M9XD4RTA0BHC", "7KQ2-M9XD-4RTA-OBHC"}) {
        auto code = normalize_recovery_code(typed);
        assert_true(code.ok());
        assert_string_equal(code->c_str(), "7KQ2M9XD4RTA0BHC");
    }
    assert_string_equal(normalize_recovery_code("IIII-LLLL-iiii-llll")->c_str(), "1111111111111111");
    for (const char* bad : {"", "7KQ2-M9XD-4RTA", "7KQ2-M9XD-4RTA-0BHC-1", "7KQ2-M9XD-4RTA-0BHU", "7KQ2_M9XD_4RTA_0BHC"}) {
        auto code = normalize_recovery_code(bad);
        assert_false(code.ok());
        assert_string_equal(code.error().message.c_str(), "that is not a recovery code");
    }
}

void hashes_depend_on_key_user_and_code(void**) {
    KeyDir d;
    const SecretKey key = d.key();
    const SecretKey other_key = d.key("other");
    const Secret code("7KQ2M9XD4RTA0BHC");
    const Digest alice = hash_recovery_code(key, "alice", 1000, code);
    assert_true(digests_equal(alice, hash_recovery_code(key, "alice", 1000, Secret("7KQ2M9XD4RTA0BHC"))));
    assert_false(digests_equal(alice, hash_recovery_code(key, "bob", 1000, code)));
    assert_false(digests_equal(alice, hash_recovery_code(other_key, "alice", 1000, code)));
    assert_false(digests_equal(alice, hash_recovery_code(key, "alice", 1000, Secret("7KQ2M9XD4RTA0BHD"))));
    // Length prefixes keep ("alice", "7K...") and ("alice7", "K...") apart.
    assert_false(digests_equal(alice, hash_recovery_code(key, "alice7", 1000, Secret("KQ2M9XD4RTA0BHC"))));
    // The same name with another uid (a deleted account's name reused) differs.
    assert_false(digests_equal(alice, hash_recovery_code(key, "alice", 1001, code)));
    (void)hash_recovery_code(key, "alice", -1, Secret());  // an empty answer hashes too
}

void key_file_is_created_root_only_and_reloaded(void**) {
    KeyDir d;
    const fs::path path = d.dir / "key";
    const Digest first = d.key().keyed_hash({"x"});
    struct stat st {};
    assert_int_equal(stat(path.c_str(), &st), 0);
    assert_int_equal(st.st_mode & 07777, 0600);
    assert_int_equal(st.st_size, 32);
    assert_true(digests_equal(first, d.key().keyed_hash({"x"})));  // same key on reload

    chmod(path.c_str(), 0644);
    auto readable = SecretKey::load_or_create(path);
    assert_false(readable.ok());
    assert_int_equal(static_cast<int>(readable.error().code), static_cast<int>(ErrorCode::Corrupt));
    chmod(path.c_str(), 0600);
    assert_int_equal(truncate(path.c_str(), 16), 0);
    assert_false(SecretKey::load_or_create(path).ok());
    fs::create_symlink(path, d.dir / "link");
    assert_false(SecretKey::load_or_create(d.dir / "link").ok());
}

}  // namespace

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(generates_ten_readable_distinct_codes),
        cmocka_unit_test(every_character_position_varies),
        cmocka_unit_test(normalizes_what_people_type),
        cmocka_unit_test(hashes_depend_on_key_user_and_code),
        cmocka_unit_test(key_file_is_created_root_only_and_reloaded),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
