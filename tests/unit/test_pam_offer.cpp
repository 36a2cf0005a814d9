// Unit tests for the PAM module's offer: only "yes" starts a recovery.
#include "tests/unit/UnitTest.h"

#include "pam_module/Offer.h"

using namespace recoveryd::pam;

namespace {

void yes_in_any_case_with_spaces(void**) {
    for (const char* yes : {"yes", "YES", "Yes", " yes", "yes ", "\tyEs\n"})
        assert_true(is_yes(yes));
}

void anything_else_is_no(void**) {
    for (const char* no : {"", " ", "y", "ye", "yess", "no", "y es", "yes!", "alice-old-password", "oui"})
        assert_false(is_yes(no));
    assert_false(is_yes(std::string_view("yes\0", 4)));
}

}  // namespace

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(yes_in_any_case_with_spaces),
        cmocka_unit_test(anything_else_is_no),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
