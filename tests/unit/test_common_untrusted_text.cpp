// Unit tests for how text typed by others is printed (by recoveryctl, and
// in the daemon's log): nothing in it can end the quotes, start a line of
// its own, drive the terminal or reorder what is shown; ordinary text,
// accents included, stays readable.
#include "tests/unit/UnitTest.h"

#include <string>

#include "common/UntrustedText.h"

using namespace recoveryd;

namespace {

void expect(const std::string& input, const char* shown) {
    const std::string out = quote_untrusted(input);
    if (out != shown)
        fail_msg("%s shown as %s, expected %s", escape_untrusted(input).c_str(), out.c_str(), shown);
}

void keeps_ordinary_text(void**) {
    expect("call me at 555-0100", "\"call me at 555-0100\"");
    expect("Zoë Müller, 東京", "\"Zoë Müller, 東京\"");
    expect("", "\"\"");
    expect("$(touch /tmp/owned); rm -rf ~", "\"$(touch /tmp/owned); rm -rf ~\"");
}

void cannot_end_the_quotes(void**) {
    expect("a\" and \\\" b", "\"a\\\" and \\\\\\\" b\"");
}

void escapes_line_breaks_and_terminal_controls(void**) {
    expect("x\nRequest FAKE-ID\n  State: approved", "\"x\\nRequest FAKE-ID\\n  State: approved\"");
    expect("a\rb\tc", "\"a\\u{000D}b\\tc\"");
    expect("\x1b[2J\x1b]0;title\x07", "\"\\u{001B}[2J\\u{001B}]0;title\\u{0007}\"");
    expect(std::string("nul\0x", 5), "\"nul\\u{0000}x\"");
    expect("del\x7f", "\"del\\u{007F}\"");
    expect("c1 \xc2\x9b" "31m", "\"c1 \\u{009B}31m\"");  // CSI as a C1 control
    expect("line\xe2\x80\xa8sep", "\"line\\u{2028}sep\"");
}

void escapes_bidirectional_controls(void**) {
    expect("user \xe2\x80\xae" "nimda", "\"user \\u{202E}nimda\"");  // right-to-left override
    expect("\xe2\x81\xa6x\xe2\x81\xa9", "\"\\u{2066}x\\u{2069}\"");
    expect("\xe2\x80\x8f", "\"\\u{200F}\"");
    expect("\xd8\x9c", "\"\\u{061C}\"");
}

void shows_invalid_utf8_as_bytes(void**) {
    expect("a\xff" "b", "\"a\\xFFb\"");
    expect("\xc0\xaf", "\"\\xC0\\xAF\"");                 // overlong '/'
    expect("\xed\xa0\x80", "\"\\xED\\xA0\\x80\"");        // a surrogate
    expect("\xe2\x80", "\"\\xE2\\x80\"");                 // cut short
    expect("\xf4\x90\x80\x80", "\"\\xF4\\x90\\x80\\x80\"");  // beyond U+10FFFF
}

void escape_alone_adds_no_quotes(void**) {
    assert_string_equal(escape_untrusted("tty3").c_str(), "tty3");
    assert_string_equal(escape_untrusted("a\nb").c_str(), "a\\nb");
}

}  // namespace

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(keeps_ordinary_text),
        cmocka_unit_test(cannot_end_the_quotes),
        cmocka_unit_test(escapes_line_breaks_and_terminal_controls),
        cmocka_unit_test(escapes_bidirectional_controls),
        cmocka_unit_test(shows_invalid_utf8_as_bytes),
        cmocka_unit_test(escape_alone_adds_no_quotes),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
