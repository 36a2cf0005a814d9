// Unit tests for common/Validation: the checks every bus, policy and
// terminal input passes through.
#include "tests/unit/UnitTest.h"

#include <string>

#include "common/Validation.h"

using namespace recoveryd;

namespace {

void accepts_portable_user_names(void**) {
    assert_true(validate_user_name("alice").ok());
    assert_true(validate_user_name("_svc-01").ok());
    assert_true(validate_user_name("machine$").ok());
    assert_true(validate_user_name(std::string(32, 'a')).ok());
}

void refuses_bad_user_names(void**) {
    for (const char* bad : {"", "Alice", "1alice", "-alice", "al ice", "al:ice", "al\nice", "$", "a$b",
                            "../etc", "alice\xc3\xa9"}) {
        const auto result = validate_user_name(bad);
        assert_false(result.ok());
        assert_int_equal(static_cast<int>(result.error().code), static_cast<int>(ErrorCode::InvalidArgument));
    }
    assert_false(validate_user_name(std::string(33, 'a')).ok());
}

void utf8_accepts_well_formed(void**) {
    assert_true(is_valid_utf8(""));
    assert_true(is_valid_utf8("plain"));
    assert_true(is_valid_utf8("gr\xc3\xbc\xc3\x9f"));              // grüß
    assert_true(is_valid_utf8("\xe2\x82\xac"));                    // €
    assert_true(is_valid_utf8("\xf0\x9f\x94\x91"));                // key emoji
}

void utf8_refuses_malformed(void**) {
    assert_false(is_valid_utf8("\xc3"));                 // truncated
    assert_false(is_valid_utf8("\xc0\xaf"));             // overlong '/'
    assert_false(is_valid_utf8("\xed\xa0\x80"));         // surrogate
    assert_false(is_valid_utf8("\xf4\x90\x80\x80"));     // above U+10FFFF
    assert_false(is_valid_utf8("\x80"));                 // lone continuation
    assert_false(is_valid_utf8("\xff"));
}

void text_checks_length_and_controls(void**) {
    assert_true(validate_text("tty", "pts/1", 64).ok());
    assert_false(validate_text("tty", std::string(65, 'x'), 64).ok());
    assert_false(validate_text("tty", "a\nb", 64).ok());
    assert_false(validate_text("tty", "a\x7f", 64).ok());
    const auto bad = validate_text("rhost", "\xc3", 64);
    assert_false(bad.ok());
    assert_string_equal(bad.error().message.c_str(), "rhost is not valid UTF-8");
}

}  // namespace

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(accepts_portable_user_names),
        cmocka_unit_test(refuses_bad_user_names),
        cmocka_unit_test(utf8_accepts_well_formed),
        cmocka_unit_test(utf8_refuses_malformed),
        cmocka_unit_test(text_checks_length_and_controls),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
