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

// Messages for the terminal: lines, and nothing else a terminal acts on.
void lines_allow_newlines_only(void**) {
    assert_true(validate_lines("message", "one\ntwo\n\nthree\n", 64).ok());
    assert_true(validate_lines("message", "", 64).ok());
    for (const char* bad : {"a\x1b[2J", "a\rb", "a\tb", "one\ntwo\x07", "\xc2\x9b" "31m", "a\xe2\x80\xae" "b"})
        assert_false(validate_lines("message", bad, 64).ok());
    assert_false(validate_lines("message", std::string(65, 'x'), 64).ok());
    assert_false(validate_lines("message", "\xc3\n", 64).ok());
}

void text_refuses_c1_controls(void**) {
    // U+0080, U+0085 (NEL, a line break to some viewers), U+009B (CSI), U+009F.
    for (const char* c1 : {"a\xc2\x80", "a\xc2\x85" "b", "\xc2\x9b[2J", "\xc2\x9f"}) {
        const auto result = validate_text("reason", c1, 64);
        assert_false(result.ok());
        assert_string_equal(result.error().message.c_str(), "reason contains a control character");
    }
    // Their neighbours are ordinary letters and signs.
    assert_true(validate_text("reason", "\xc2\xa0 \xc2\xa9 \xc3\xa9", 64).ok());  // NBSP, ©, é
    assert_true(validate_text("reason", "~", 64).ok());
}

void text_refuses_bidi_controls(void**) {
    const char* bidi[] = {
        "\xd8\x9c",                                          // U+061C ARABIC LETTER MARK
        "\xe2\x80\x8e", "\xe2\x80\x8f",                      // U+200E LRM, U+200F RLM
        "\xe2\x80\xaa", "\xe2\x80\xab", "\xe2\x80\xac",     // U+202A..U+202C
        "\xe2\x80\xad", "\xe2\x80\xae",                      // U+202D LRO, U+202E RLO
        "\xe2\x81\xa6", "\xe2\x81\xa7", "\xe2\x81\xa8", "\xe2\x81\xa9",  // U+2066..U+2069
    };
    for (const char* control : bidi) {
        const auto result = validate_text("contact", std::string("alice") + control + "moc.elpmaxe", 64);
        assert_false(result.ok());
        assert_string_equal(result.error().message.c_str(), "contact contains a bidirectional control character");
    }
    // The code points next to each range are fine.
    for (const char* ok : {"\xd8\x9b", "\xd8\x9d", "\xe2\x80\x8d", "\xe2\x80\x90", "\xe2\x80\xa9",
                           "\xe2\x80\xaf", "\xe2\x81\xa5", "\xe2\x81\xaa"})
        assert_true(validate_text("contact", ok, 64).ok());
    // Arabic and Hebrew text itself is welcome.
    assert_true(validate_text("contact", "\xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d \xd8\xb3\xd9\x84\xd8\xa7\xd9\x85", 64).ok());
}

}  // namespace

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(accepts_portable_user_names),
        cmocka_unit_test(refuses_bad_user_names),
        cmocka_unit_test(utf8_accepts_well_formed),
        cmocka_unit_test(utf8_refuses_malformed),
        cmocka_unit_test(text_checks_length_and_controls),
        cmocka_unit_test(lines_allow_newlines_only),
        cmocka_unit_test(text_refuses_c1_controls),
        cmocka_unit_test(text_refuses_bidi_controls),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
