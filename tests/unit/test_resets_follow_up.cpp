// What follows a password reset (daemon/resets/ResetFollowUp): the owner's
// notice, and after a recovery pam_faillock's tally reset with the faillock
// tool (here a stand-in script that records its arguments). Each outcome is
// audited; a failure of one neither stops the other nor undoes anything.
#include "tests/unit/test_store_fixture.h"

#include <cstring>
#include <fstream>
#include <sys/stat.h>
#include <vector>

#include "daemon/resets/ResetFollowUp.h"

using namespace recoveryd;

namespace {

namespace fs = std::filesystem;

struct Row {
    std::string action, outcome, detail;
};

struct FollowUpWorld {
    StoreDir d;
    Store store = d.open();
    fs::path markers = d.dir / "notices";
    OwnerNotices notices{store, markers};
    FaillockTool faillock{d.dir / "faillock", d.dir / "faillock.conf", std::chrono::milliseconds(5000)};
    fs::path faillock_args = d.dir / "faillock.args";
    std::vector<Row> rows;

    // A stand-in for /usr/sbin/faillock: records its arguments, then exits
    // with `status` (saying why on stderr when it fails).
    void install_faillock(int status) {
        {
            std::ofstream script(faillock.program);
            script << "#!/bin/sh\nprintf '%s\\n' \"$@\" > '" << faillock_args.string() << "'\n";
            if (status != 0)
                script << "echo 'faillock: Error resetting tally' >&2\n";
            script << "exit " << status << "\n";
        }
        assert_int_equal(chmod(faillock.program.c_str(), 0700), 0);
    }

    void follow_up(const PasswordReset& reset) {
        const ResetAudit record = [this](const char* action, const char* outcome, std::string detail) {
            rows.push_back(Row{action, outcome, std::move(detail)});
            return Result<void>();
        };
        reset_tally_and_leave_notice(reset, notices, faillock, 0, record);
    }

    const Row* row(const char* action) const {
        for (const Row& r : rows)
            if (r.action == action)
                return &r;
        return nullptr;
    }
};

PasswordReset reset_of_alice(ResetWay way) {
    PasswordReset reset;
    reset.user = "alice";
    reset.uid = 1000;
    reset.at = 1'795'000'000;
    reset.way = way;
    reset.actor = way == ResetWay::Recovery ? "pam:login" : "uid:0 (root)";
    reset.admin = way == ResetWay::Recovery ? "" : "root";
    reset.service = way == ResetWay::Recovery ? "login" : "";
    return reset;
}

void a_recovery_leaves_a_notice_and_resets_the_tally(void**) {
    FollowUpWorld w;
    w.install_faillock(0);
    w.follow_up(reset_of_alice(ResetWay::Recovery));
    assert_string_equal(read_file_bytes(w.faillock_args).c_str(), "--user\nalice\n--reset\n");
    assert_true(fs::exists(w.markers / "1000"));
    assert_true(ok_value(w.store.has_owner_notices(1000)));
    assert_non_null(w.row("notice.add"));
    assert_string_equal(w.row("notice.add")->outcome.c_str(), "ok");
    assert_non_null(w.row("faillock.reset"));
    assert_string_equal(w.row("faillock.reset")->outcome.c_str(), "ok");
}

// Debian 12's faillock tool does not read faillock.conf: its `dir` is
// passed on, as pam_faillock reads it.
void the_tally_directory_of_faillock_conf_is_passed_on(void**) {
    FollowUpWorld w;
    w.install_faillock(0);
    {
        std::ofstream conf(w.faillock.config);
        conf << "# dir = /commented/out\n  deny = 3\n  dir=/run/first # a comment\n"
                "dir = relative/ignored\ndirectory = /not/this\n\tdir =  /run/tallies  \n";
    }
    assert_string_equal(faillock_tally_directory(w.faillock.config).c_str(), "/run/tallies");
    w.follow_up(reset_of_alice(ResetWay::Recovery));
    assert_string_equal(read_file_bytes(w.faillock_args).c_str(), "--dir\n/run/tallies\n--user\nalice\n--reset\n");
    assert_string_equal(faillock_tally_directory(w.d.dir / "no-such.conf").c_str(), "");
}

void an_administrators_reset_leaves_a_notice_and_the_tally_alone(void**) {
    FollowUpWorld w;
    w.install_faillock(0);
    w.follow_up(reset_of_alice(ResetWay::Administrator));
    assert_false(fs::exists(w.faillock_args));
    assert_null(w.row("faillock.reset"));
    assert_true(fs::exists(w.markers / "1000"));
    const NoticeTake take = ok_value(w.store.take_owner_notices("alice", 1000));
    assert_int_equal(take.notices.size(), 1);
    assert_true(take.notices.front().way == ResetWay::Administrator);
    assert_string_equal(take.notices.front().admin.c_str(), "root");
}

void a_failed_tally_reset_is_audited_and_the_notice_stays(void**) {
    FollowUpWorld w;
    w.install_faillock(1);
    w.follow_up(reset_of_alice(ResetWay::Recovery));
    const Row* faillock = w.row("faillock.reset");
    assert_non_null(faillock);
    assert_string_equal(faillock->outcome.c_str(), "error");
    assert_non_null(strstr(faillock->detail.c_str(), "Error resetting tally"));
    assert_non_null(strstr(faillock->detail.c_str(), "the new password is set all the same"));
    assert_true(ok_value(w.store.has_owner_notices(1000)));
}

void a_notice_that_cannot_be_marked_is_audited_and_the_tally_still_reset(void**) {
    FollowUpWorld w;
    w.install_faillock(0);
    assert_int_equal(mkdir(w.markers.c_str(), 0777), 0);
    w.follow_up(reset_of_alice(ResetWay::Recovery));
    assert_non_null(w.row("notice.add"));
    assert_string_equal(w.row("notice.add")->outcome.c_str(), "error");
    assert_string_equal(read_file_bytes(w.faillock_args).c_str(), "--user\nalice\n--reset\n");
}

}  // namespace

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_recovery_leaves_a_notice_and_resets_the_tally),
        cmocka_unit_test(the_tally_directory_of_faillock_conf_is_passed_on),
        cmocka_unit_test(an_administrators_reset_leaves_a_notice_and_the_tally_alone),
        cmocka_unit_test(a_failed_tally_reset_is_audited_and_the_notice_stays),
        cmocka_unit_test(a_notice_that_cannot_be_marked_is_audited_and_the_tally_still_reset),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
