// Unit tests for the PAM module's session part (pam_module/Notices): no bus
// call at all unless the account's marker file is there (a login with
// nothing to show never reaches, nor starts, the daemon), one call when it
// is, nothing shown and PAM_SUCCESS when the daemon is absent or silent,
// nothing taken in a silent session. The bus here is a socket that accepts
// connections and never answers, so connections can be counted. Timing is
// checked only against a generous upper bound.
#include "tests/unit/UnitTest.h"
#include "tests/unit/PamHandle.h"
#include "tests/unit/SilentBus.h"
#include "tests/unit/TestFiles.h"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <string>
#include <vector>

#include "common/UniqueFd.h"
#include "pam_module/Notices.h"

using namespace recoveryd;
using namespace recoveryd::pam;

namespace {

constexpr auto kGenerousBound = std::chrono::seconds(5);  // far above the 300 ms timeout

// Every message the module shows, as "style text".
int record_messages(int count, const struct pam_message** messages, struct pam_response** responses, void* data) {
    auto& shown = *static_cast<std::vector<std::string>*>(data);
    for (int i = 0; i < count; ++i)
        shown.push_back(std::to_string(messages[i]->msg_style) + " " + messages[i]->msg);
    *responses = static_cast<struct pam_response*>(calloc(static_cast<std::size_t>(count), sizeof(struct pam_response)));
    return *responses ? PAM_SUCCESS : PAM_BUF_ERR;
}

struct Session {
    TempDir markers{"unit-notice-markers"};
    SilentBus bus;
    std::vector<std::string> shown;
    ModuleOptions options{false, 300, 300};

    NoticeSources sources() const { return NoticeSources{markers.path().string(), bus.address()}; }
    void mark(std::uint32_t uid) const { std::ofstream(markers / std::to_string(uid)).put('\0'); }
    int open(const char* user, int flags = 0) {
        const struct pam_conv conv = {record_messages, &shown};
        TestPamHandle handle(conv, user);
        assert_non_null(handle.get());
        return show_owner_notices(handle.get(), flags, options, sources());
    }
};

void root_has_uid_zero_and_a_stranger_none(void**) {
    assert_true(lookup_uid("root") == 0u);
    assert_false(lookup_uid("no-such-user-here").has_value());
}

void nothing_waits_no_bus_call(void**) {
    Session s;
    assert_int_equal(s.open("root"), PAM_SUCCESS);
    assert_int_equal(s.bus.connections(), 0);
    assert_int_equal(s.shown.size(), 0);
    s.mark(12345);  // another account's marker
    assert_int_equal(s.open("root"), PAM_SUCCESS);
    assert_int_equal(s.bus.connections(), 0);
}

void a_marker_means_one_call_bounded_and_silent(void**) {
    Session s;
    s.mark(0);
    const auto start = std::chrono::steady_clock::now();
    assert_int_equal(s.open("root"), PAM_SUCCESS);
    assert_true(std::chrono::steady_clock::now() - start < kGenerousBound);
    assert_int_equal(s.bus.connections(), 1);
    assert_int_equal(s.shown.size(), 0);
}

void an_absent_daemon_is_silent(void**) {
    Session s;
    s.mark(0);
    const NoticeSources nowhere{s.markers.path().string(), "unix:path=/nonexistent/recoveryd-unit/socket"};
    const struct pam_conv conv = {record_messages, &s.shown};
    TestPamHandle handle(conv, "root");
    assert_int_equal(show_owner_notices(handle.get(), 0, s.options, nowhere), PAM_SUCCESS);
    assert_int_equal(s.shown.size(), 0);
}

void a_silent_session_takes_nothing(void**) {
    Session s;
    s.mark(0);
    assert_int_equal(s.open("root", PAM_SILENT), PAM_SUCCESS);
    assert_int_equal(s.bus.connections(), 0);
}

void an_unknown_or_malformed_user_is_not_asked_about(void**) {
    Session s;
    s.mark(0);
    assert_int_equal(s.open("no-such-user-here"), PAM_SUCCESS);
    assert_int_equal(s.open("../0"), PAM_SUCCESS);
    assert_int_equal(s.bus.connections(), 0);
}

}  // namespace

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(root_has_uid_zero_and_a_stranger_none),
        cmocka_unit_test(nothing_waits_no_bus_call),
        cmocka_unit_test(a_marker_means_one_call_bounded_and_silent),
        cmocka_unit_test(an_absent_daemon_is_silent),
        cmocka_unit_test(a_silent_session_takes_nothing),
        cmocka_unit_test(an_unknown_or_malformed_user_is_not_asked_about),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
