// Owner notices as the daemon leaves and takes them (daemon/resets): the
// text the owner reads, and the marker file that tells the PAM module a
// notice waits (made root-only, removed once nothing waits, refused in a
// directory others can use).
#include "tests/unit/test_store_fixture.h"

#include <cstring>
#include <sys/stat.h>

#include "daemon/resets/OwnerNotices.h"

using namespace recoveryd;

namespace {

namespace fs = std::filesystem;

constexpr std::int64_t kAlice = 1000;
constexpr std::int64_t kT0 = 1'795'000'000;  // 2026-11-18 at 11:06:40 UTC

PasswordReset recovery_of_alice() {
    PasswordReset reset;
    reset.user = "alice";
    reset.uid = kAlice;
    reset.at = kT0;
    reset.way = ResetWay::Recovery;
    reset.actor = "pam:sshd";
    reset.service = "sshd";
    reset.tty = "ssh";
    reset.rhost = "192.0.2.7";
    return reset;
}

struct NoticeWorld {
    StoreDir d;
    Store store = d.open();
    fs::path markers = d.dir / "notices";
    OwnerNotices notices{store, markers};

    bool marked(std::int64_t uid) const { return fs::exists(markers / std::to_string(uid)); }
};

void the_texts_say_when_how_and_from_where(void**) {
    OwnerNotice notice = owner_notice(recovery_of_alice());
    assert_string_equal(notice_text(notice).c_str(),
                        "Your password was reset on 2026-11-18 at 11:06 UTC through account recovery at the login "
                        "prompt (service sshd, from 192.0.2.7). If this was not you, contact your administrator now.");
    notice.service = "login";
    notice.tty = "tty1";
    notice.rhost.clear();
    assert_string_equal(notice_text(notice).c_str(),
                        "Your password was reset on 2026-11-18 at 11:06 UTC through account recovery at the login "
                        "prompt (service login, on tty1). If this was not you, contact your administrator now.");
    notice.service.clear();
    notice.tty.clear();
    assert_string_equal(notice_text(notice).c_str(),
                        "Your password was reset on 2026-11-18 at 11:06 UTC through account recovery at the login "
                        "prompt. If this was not you, contact your administrator now.");
    const OwnerNotice by_admin{"alice", kAlice, kT0, ResetWay::Administrator, "root", "", "", ""};
    assert_string_equal(notice_text(by_admin).c_str(),
                        "Your password was reset on 2026-11-18 at 11:06 UTC by an administrator (root). If this was "
                        "not you, contact your administrator now.");
}

void leaving_a_notice_marks_the_uid_root_only(void**) {
    NoticeWorld w;
    assert_false(w.marked(kAlice));
    assert_ok(w.notices.leave(recovery_of_alice()));
    assert_true(w.marked(kAlice));
    struct stat st {};
    assert_int_equal(stat(w.markers.c_str(), &st), 0);
    assert_int_equal(st.st_mode & 07777, 0700);
    assert_int_equal(stat((w.markers / "1000").c_str(), &st), 0);
    assert_true(S_ISREG(st.st_mode));
    assert_int_equal(st.st_mode & 077, 0);
}

void taking_shows_the_text_once_and_removes_the_marker(void**) {
    NoticeWorld w;
    assert_ok(w.notices.leave(recovery_of_alice()));
    const TakenNotices taken = ok_value(w.notices.take("alice", kAlice));
    assert_int_equal(taken.texts.size(), 1);
    assert_string_equal(taken.texts.front().c_str(), notice_text(owner_notice(recovery_of_alice())).c_str());
    assert_true(taken.problem.empty());
    assert_false(w.marked(kAlice));
    assert_int_equal(ok_value(w.notices.take("alice", kAlice)).texts.size(), 0);
}

// A marker with nothing behind it (a take whose removal raced a later
// leave's marker) costs one call, which removes it.
void a_stale_marker_goes_at_the_next_take(void**) {
    NoticeWorld w;
    assert_ok(w.notices.leave(recovery_of_alice()));
    (void)ok_value(w.store.take_owner_notices("alice", kAlice));  // behind the marker's back
    assert_true(w.marked(kAlice));
    assert_int_equal(ok_value(w.notices.take("alice", kAlice)).texts.size(), 0);
    assert_false(w.marked(kAlice));
}

// A new account reusing the uid: nothing shown, the former notice goes.
// A crash between a notice and its marker: the next start puts the marker
// back, for every uid a notice waits for and no other.
void a_start_restores_the_markers_of_waiting_notices(void**) {
    NoticeWorld w;
    assert_true(w.store.add_owner_notice(owner_notice(recovery_of_alice())).ok());
    PasswordReset bob = recovery_of_alice();
    bob.user = "bob";
    bob.uid = 1001;
    assert_true(w.notices.leave(bob).ok());
    assert_true(w.notices.take("bob", 1001).ok());
    assert_false(w.marked(kAlice));
    assert_true(w.notices.restore_markers().ok());
    assert_true(w.marked(kAlice));
    assert_false(w.marked(1001));
}

void another_name_on_the_uid_sees_nothing(void**) {
    NoticeWorld w;
    assert_ok(w.notices.leave(recovery_of_alice()));
    const TakenNotices taken = ok_value(w.notices.take("carol", kAlice));
    assert_int_equal(taken.texts.size(), 0);
    assert_int_equal(taken.discarded, 1);
    assert_false(w.marked(kAlice));
}

void a_marker_directory_others_can_use_is_refused(void**) {
    NoticeWorld w;
    assert_int_equal(mkdir(w.markers.c_str(), 0755), 0);
    const auto left = w.notices.leave(recovery_of_alice());
    assert_false(left.ok());
    assert_int_equal(static_cast<int>(left.error().code), static_cast<int>(ErrorCode::AccessDenied));
    assert_non_null(strstr(left.error().message.c_str(), "chmod 0700"));
    assert_false(w.marked(kAlice));
}

void a_marker_directory_that_is_a_link_is_refused(void**) {
    NoticeWorld w;
    const fs::path elsewhere = w.d.dir / "elsewhere";
    assert_int_equal(mkdir(elsewhere.c_str(), 0700), 0);
    fs::create_directory_symlink(elsewhere, w.markers);
    assert_false(w.notices.leave(recovery_of_alice()).ok());
    assert_false(fs::exists(elsewhere / "1000"));
}

}  // namespace

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_texts_say_when_how_and_from_where),
        cmocka_unit_test(leaving_a_notice_marks_the_uid_root_only),
        cmocka_unit_test(taking_shows_the_text_once_and_removes_the_marker),
        cmocka_unit_test(a_stale_marker_goes_at_the_next_take),
        cmocka_unit_test(a_start_restores_the_markers_of_waiting_notices),
        cmocka_unit_test(another_name_on_the_uid_sees_nothing),
        cmocka_unit_test(a_marker_directory_others_can_use_is_refused),
        cmocka_unit_test(a_marker_directory_that_is_a_link_is_refused),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
