// Owner notices in the store (schema/006_owner_notices.sql): a notice is
// taken once (also by 50 threads at once), belongs to the account's name and
// uid together (a reused name or uid never sees a former account's), keeps
// the newest few per uid, and survives a restart.
#include "tests/unit/test_store_fixture.h"

#include <atomic>
#include <thread>
#include <vector>

using namespace recoveryd;

namespace {

constexpr std::int64_t kAlice = 1000, kBob = 1001;
constexpr std::int64_t kT0 = 1'800'000'000;

OwnerNotice recovery_notice(const char* user, std::int64_t uid, std::int64_t at = kT0) {
    return OwnerNotice{user, uid, at, ResetWay::Recovery, "", "sshd", "ssh", "192.0.2.7"};
}

void a_notice_is_taken_once(void**) {
    StoreDir d;
    Store store = d.open();
    assert_false(ok_value(store.has_owner_notices(kAlice)));
    assert_ok(store.add_owner_notice(recovery_notice("alice", kAlice)));
    assert_true(ok_value(store.has_owner_notices(kAlice)));
    const NoticeTake first = ok_value(store.take_owner_notices("alice", kAlice));
    assert_int_equal(first.notices.size(), 1);
    const OwnerNotice& notice = first.notices.front();
    assert_string_equal(notice.user.c_str(), "alice");
    assert_int_equal(notice.uid, kAlice);
    assert_int_equal(notice.reset_at, kT0);
    assert_true(notice.way == ResetWay::Recovery);
    assert_string_equal(notice.service.c_str(), "sshd");
    assert_string_equal(notice.tty.c_str(), "ssh");
    assert_string_equal(notice.rhost.c_str(), "192.0.2.7");
    assert_int_equal(first.discarded, 0);
    assert_false(ok_value(store.has_owner_notices(kAlice)));
    assert_int_equal(ok_value(store.take_owner_notices("alice", kAlice)).notices.size(), 0);
}

void an_administrators_reset_keeps_its_way_and_name(void**) {
    StoreDir d;
    Store store = d.open();
    assert_ok(store.add_owner_notice(OwnerNotice{"alice", kAlice, kT0, ResetWay::Administrator, "hank", "", "", ""}));
    const NoticeTake take = ok_value(store.take_owner_notices("alice", kAlice));
    assert_int_equal(take.notices.size(), 1);
    assert_true(take.notices.front().way == ResetWay::Administrator);
    assert_string_equal(take.notices.front().admin.c_str(), "hank");
}

void another_accounts_notice_is_never_taken(void**) {
    StoreDir d;
    Store store = d.open();
    assert_ok(store.add_owner_notice(recovery_notice("alice", kAlice)));
    assert_ok(store.add_owner_notice(recovery_notice("bob", kBob)));
    const NoticeTake bobs = ok_value(store.take_owner_notices("bob", kBob));
    assert_int_equal(bobs.notices.size(), 1);
    assert_string_equal(bobs.notices.front().user.c_str(), "bob");
    assert_int_equal(bobs.discarded, 0);
    assert_true(ok_value(store.has_owner_notices(kAlice)));
    assert_int_equal(ok_value(store.take_owner_notices("alice", kAlice)).notices.size(), 1);
}

// alice (uid 1000) was deleted; a new alice got uid 1002, and a new user
// carol got uid 1000. Neither sees the former alice's notice, and it goes.
void a_reused_name_or_uid_never_sees_a_former_accounts_notice(void**) {
    StoreDir d;
    Store store = d.open();
    assert_ok(store.add_owner_notice(recovery_notice("alice", kAlice)));
    NoticeTake take = ok_value(store.take_owner_notices("alice", 1002));
    assert_int_equal(take.notices.size(), 0);
    assert_int_equal(take.discarded, 1);
    assert_false(ok_value(store.has_owner_notices(kAlice)));

    assert_ok(store.add_owner_notice(recovery_notice("alice", kAlice)));
    take = ok_value(store.take_owner_notices("carol", kAlice));
    assert_int_equal(take.notices.size(), 0);
    assert_int_equal(take.discarded, 1);
    assert_int_equal(ok_value(store.take_owner_notices("alice", kAlice)).notices.size(), 0);
}

void a_name_without_an_account_takes_nothing(void**) {
    StoreDir d;
    Store store = d.open();
    assert_ok(store.add_owner_notice(recovery_notice("alice", kAlice)));
    const NoticeTake take = ok_value(store.take_owner_notices("alice", -1));
    assert_int_equal(take.notices.size(), 0);
    assert_int_equal(take.discarded, 0);
    assert_true(ok_value(store.has_owner_notices(kAlice)));
    assert_false(store.add_owner_notice(recovery_notice("ghost", -1)).ok());
}

void the_newest_notices_are_kept_oldest_first(void**) {
    StoreDir d;
    Store store = d.open();
    const std::size_t resets = kMaxOwnerNotices + 2;
    for (std::size_t i = 0; i < resets; ++i)
        assert_ok(store.add_owner_notice(recovery_notice("alice", kAlice, kT0 + static_cast<std::int64_t>(i))));
    const NoticeTake take = ok_value(store.take_owner_notices("alice", kAlice));
    assert_int_equal(take.notices.size(), kMaxOwnerNotices);
    for (std::size_t i = 0; i < kMaxOwnerNotices; ++i)
        assert_int_equal(take.notices[i].reset_at, kT0 + static_cast<std::int64_t>(resets - kMaxOwnerNotices + i));
}

void notices_survive_a_restart(void**) {
    StoreDir d;
    {
        Store store = d.open();
        assert_ok(store.add_owner_notice(recovery_notice("alice", kAlice)));
    }
    Store store = d.open();
    assert_int_equal(ok_value(store.take_owner_notices("alice", kAlice)).notices.size(), 1);
}

// Two logins at once: 50 threads take alice's notice; exactly one gets it.
void fifty_concurrent_takes_show_a_notice_once(void**) {
    StoreDir d;
    Store store = d.open();
    assert_ok(store.add_owner_notice(recovery_notice("alice", kAlice)));
    std::atomic<int> shown{0}, failed{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < 50; ++i)
        threads.emplace_back([&] {
            auto take = store.take_owner_notices("alice", kAlice);
            if (!take.ok())
                ++failed;
            else
                shown += static_cast<int>(take->notices.size());
        });
    for (auto& t : threads)
        t.join();
    assert_int_equal(failed.load(), 0);
    assert_int_equal(shown.load(), 1);
}

}  // namespace

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_notice_is_taken_once),
        cmocka_unit_test(an_administrators_reset_keeps_its_way_and_name),
        cmocka_unit_test(another_accounts_notice_is_never_taken),
        cmocka_unit_test(a_reused_name_or_uid_never_sees_a_former_accounts_notice),
        cmocka_unit_test(a_name_without_an_account_takes_nothing),
        cmocka_unit_test(the_newest_notices_are_kept_oldest_first),
        cmocka_unit_test(notices_survive_a_restart),
        cmocka_unit_test(fifty_concurrent_takes_show_a_notice_once),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
