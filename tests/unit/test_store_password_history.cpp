// Unit tests for the password history in the store: newest first, pruned to
// what the caller keeps, bound to the account (name and uid) like
// enrollments, and gone with `forget`; no pruned hash left in the database
// or its WAL.
#include "tests/unit/test_store_fixture.h"

#include <string>
#include <vector>

using namespace recoveryd;

namespace {

constexpr std::int64_t kOldAlice = 1000, kNewAlice = 1500, kBob = 1001;

// A distinct crypt-like string per label.
std::string hash_text(const std::string& label) { return "$6$saltsalt$" + label + "-0123456789abcdefghij"; }

std::vector<std::string> history(Store& store, const char* user, std::int64_t uid, std::size_t limit = 100) {
    std::vector<std::string> out;
    for (const Secret& hash : ok_value(store.password_history(user, uid, limit)))
        out.emplace_back(hash.view());
    return out;
}

void assert_history(const std::vector<std::string>& got, const std::vector<std::string>& expected) {
    assert_int_equal(got.size(), expected.size());
    for (std::size_t i = 0; i < got.size(); ++i)
        assert_string_equal(got[i].c_str(), expected[i].c_str());
}

void newest_first_and_pruned_to_keep(void**) {
    StoreDir d;
    Store store = d.open();
    assert_history(history(store, "alice", kOldAlice), {});
    for (int i = 1; i <= 6; ++i)
        assert_ok(store.add_password_history("alice", kOldAlice, hash_text("p" + std::to_string(i)), 100 + i, 4));
    assert_history(history(store, "alice", kOldAlice),
                   {hash_text("p6"), hash_text("p5"), hash_text("p4"), hash_text("p3")});
    assert_history(history(store, "alice", kOldAlice, 2), {hash_text("p6"), hash_text("p5")});
    assert_string_equal(d.sql("SELECT count(*) FROM password_history").c_str(), "4");
    assert_string_equal(d.sql("SELECT replaced_at FROM password_history ORDER BY id DESC LIMIT 1").c_str(), "106");
    // A smaller keep (RememberLast lowered) prunes at the next write.
    assert_ok(store.add_password_history("alice", kOldAlice, hash_text("p7"), 107, 1));
    assert_history(history(store, "alice", kOldAlice), {hash_text("p7")});
    // keep 0 (RememberLast 0 or 1): nothing is added and nothing stays.
    assert_ok(store.add_password_history("alice", kOldAlice, hash_text("p8"), 108, 0));
    assert_history(history(store, "alice", kOldAlice), {});
    assert_string_equal(d.sql("SELECT count(*) FROM password_history").c_str(), "0");
    // Pruned hashes are gone from the file and its WAL (secure_delete, checkpoint).
    for (const char* gone : {"p1-0123", "p6-0123", "p7-0123"}) {
        assert_true(d.bytes().find(gone) == std::string::npos);
        assert_true(d.wal_bytes().find(gone) == std::string::npos);
    }
}

// A start may repeat what a crash cut off after the writer remembered the
// hash (daemon/resets/RotationIntents.h): the newest row is not added twice.
void the_newest_hash_again_is_not_added_twice(void**) {
    StoreDir d;
    Store store = d.open();
    assert_ok(store.add_password_history("alice", kOldAlice, hash_text("p1"), 101, 4));
    assert_ok(store.add_password_history("alice", kOldAlice, hash_text("p2"), 102, 4));
    assert_ok(store.add_password_history("alice", kOldAlice, hash_text("p2"), 102, 4));
    assert_history(history(store, "alice", kOldAlice), {hash_text("p2"), hash_text("p1")});
    // Only the newest: an older one replaced again counts again.
    assert_ok(store.add_password_history("alice", kOldAlice, hash_text("p1"), 103, 4));
    assert_history(history(store, "alice", kOldAlice), {hash_text("p1"), hash_text("p2"), hash_text("p1")});
}

void history_belongs_to_the_account_not_the_name(void**) {
    StoreDir d;
    Store store = d.open();
    assert_ok(store.add_password_history("alice", kOldAlice, hash_text("old-alice"), 1, 4));
    assert_ok(store.add_password_history("bob", kBob, hash_text("bob"), 1, 4));
    // userdel alice; useradd -u 1500 alice: the new account inherits nothing...
    assert_history(history(store, "alice", kNewAlice), {});
    // ...nor does another name that gets the old uid.
    assert_history(history(store, "carol", kOldAlice), {});
    // The new account's first rotation drops the old account's rows.
    assert_ok(store.add_password_history("alice", kNewAlice, hash_text("new-alice"), 2, 4));
    assert_history(history(store, "alice", kNewAlice), {hash_text("new-alice")});
    assert_history(history(store, "alice", kOldAlice), {});
    assert_string_equal(d.sql("SELECT count(*) FROM password_history WHERE uid = 1000").c_str(), "0");
    assert_history(history(store, "bob", kBob), {hash_text("bob")});
    // Keep counts per account: bob's rows are not pruned by alice's.
    assert_ok(store.add_password_history("alice", kNewAlice, hash_text("new-alice-2"), 3, 1));
    assert_history(history(store, "bob", kBob), {hash_text("bob")});
}

void forget_drops_the_history_of_the_name(void**) {
    StoreDir d;
    Store store = d.open();
    assert_ok(store.add_password_history("alice", kOldAlice, hash_text("a1"), 1, 4));
    assert_ok(store.add_password_history("bob", kBob, hash_text("b1"), 1, 4));
    assert_int_equal(ok_value(store.forget_user("alice")), 0);  // counts enrollments only
    assert_history(history(store, "alice", kOldAlice), {});
    assert_history(history(store, "bob", kBob), {hash_text("b1")});
    assert_true(d.bytes().find("a1-0123") == std::string::npos);
    assert_true(d.wal_bytes().find("a1-0123") == std::string::npos);
}

void bad_input_changes_nothing(void**) {
    StoreDir d;
    Store store = d.open();
    assert_ok(store.add_password_history("alice", kOldAlice, hash_text("a1"), 1, 4));
    assert_false(store.add_password_history("alice", -1, hash_text("x"), 2, 4).ok());
    assert_false(store.add_password_history("alice", kOldAlice, "", 2, 4).ok());  // the schema refuses
    assert_history(history(store, "alice", kOldAlice), {hash_text("a1")});
}

}  // namespace

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(newest_first_and_pruned_to_keep),
        cmocka_unit_test(the_newest_hash_again_is_not_added_twice),
        cmocka_unit_test(history_belongs_to_the_account_not_the_name),
        cmocka_unit_test(forget_drops_the_history_of_the_name),
        cmocka_unit_test(bad_input_changes_nothing),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
