// Unit tests for what the PAM module reports in StartFlow's context: the
// PAM items, the application's real uid and its audit login uid.
#include "tests/unit/UnitTest.h"

#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <string>

#include "pam_module/LoginContext.h"
#include "tests/unit/PamHandle.h"

using namespace recoveryd::pam;

namespace {

int no_conversation(int, const struct pam_message**, struct pam_response**, void*) { return PAM_CONV_ERR; }

void parses_the_kernels_loginuid(void**) {
    assert_int_equal(parse_loginuid("1000\n"), 1000);
    assert_int_equal(parse_loginuid("0"), 0);
    assert_int_equal(parse_loginuid("4294967295"), kUnsetLoginUid);
}

void anything_unexpected_reads_as_unset(void**) {
    for (const char* bad : {"", "\n", "abc", "-1", "+5", "12a", " 12", "4294967296", "99999999999"})
        assert_int_equal(parse_loginuid(bad), kUnsetLoginUid);
}

void reads_the_file_or_reports_unset(void**) {
    assert_int_equal(read_loginuid("/nonexistent/loginuid"), kUnsetLoginUid);
    char path[] = "/tmp/recoveryd-unit-loginuid-XXXXXX";
    const int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    std::ofstream(path) << "1500\n";
    assert_int_equal(read_loginuid(path), 1500);
    std::ofstream(path) << std::string(20, '1');  // longer than any uid
    assert_int_equal(read_loginuid(path), kUnsetLoginUid);
    std::remove(path);
}

void reports_the_items_and_the_applications_uids(void**) {
    const struct pam_conv conv{no_conversation, nullptr};
    TestPamHandle handle(conv);
    assert_non_null(handle.get());
    pam_set_item(handle.get(), PAM_TTY, "pts/3");
    pam_set_item(handle.get(), PAM_RHOST, "bad\nhost");  // not valid text: a control character
    pam_set_item(handle.get(), PAM_RUSER, std::string(300, 'r').c_str());  // too long
    const FlowContext context = login_context(handle.get());
    bool service = false, tty = false, rhost = false, ruser = false;
    for (const auto& [key, value] : context.text) {
        service = service || (key == "service" && value == "unit");
        tty = tty || (key == "tty" && value == "pts/3");
        // Sent as stand-ins, never dropped: a remote login must not pass
        // for a local one.
        rhost = rhost || (key == "rhost" && value == "bad\\nhost");
        ruser = ruser || (key == "ruser" && value == std::string(256, 'r'));
    }
    assert_true(service);
    assert_true(tty);
    assert_true(rhost);
    assert_true(ruser);
    assert_int_equal(context.uid, getuid());
    assert_int_equal(context.loginuid, read_loginuid());
}

}  // namespace

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(parses_the_kernels_loginuid),
        cmocka_unit_test(anything_unexpected_reads_as_unset),
        cmocka_unit_test(reads_the_file_or_reports_unset),
        cmocka_unit_test(reports_the_items_and_the_applications_uids),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
