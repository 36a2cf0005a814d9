// Requests for help and approval codes in the store
// (schema/003_admin_requests.sql, 010): filing and its caps, approval
// codes used at most once (also by 50 threads at once), bound to their
// account, gone with a denial, and expiry that a wall clock moved back
// neither revives nor stretches.
#include "tests/unit/test_store_fixture.h"

#include <atomic>
#include <thread>
#include <vector>

using namespace recoveryd;

namespace {

constexpr std::int64_t kSecond = 1000000, kHour = 3600 * kSecond, kWeek = 7 * 24 * kHour;
constexpr std::int64_t kT0 = 1'800'000'000 * kSecond;
constexpr std::int64_t kAlice = 1000, kBob = 1001;
constexpr RequestCaps kCaps{3, 5, 200};

// The wall clock at `wall` and the boot-time clock at `boot`, in one boot.
ClockReading at(std::int64_t wall, std::int64_t boot = 0, const char* boot_id = "boot-a") {
    return ClockReading{wall, boot_id, boot};
}

HelpRequest request_for(const char* user, std::int64_t uid, const char* source = "", const char* rhost = "") {
    HelpRequest r;
    r.source = source;
    r.rhost = rhost;
    r.user = user;
    r.uid = uid;
    r.account = uid >= 0 ? "recoverable" : "no such account";
    r.service = "login";
    r.tty = "tty1";
    r.contact = "+1 555 0100";
    r.reason = "forgot my password";
    return r;
}

// Ids in order from a list, so tests can predict them.
std::function<std::string()> ids(std::vector<std::string> list) {
    auto next = std::make_shared<std::size_t>(0);
    return [list, next] { return list.at((*next)++); };
}

std::string file(Store& store, const char* user, std::int64_t uid, const std::string& id, std::int64_t wall = kT0) {
    const Filing filing = ok_value(store.file_request(request_for(user, uid), at(wall), kCaps, kWeek, ids({id})));
    assert_true(filing.filed());
    return filing.id;
}

ApprovalGrant grant(const std::string& id, const char* user, std::int64_t uid, const char* code) {
    return ApprovalGrant{id, user, uid, test_digest(code), kHour, "uid:0 (root)", "checked by phone"};
}

void filing_stores_the_request_and_caps_open_ones_per_name(void**) {
    StoreDir d;
    Store store = d.open();
    file(store, "alice", kAlice, "AAAAA1");
    file(store, "alice", kAlice, "AAAAA2");
    file(store, "alice", kAlice, "AAAAA3");
    const Filing fourth = ok_value(store.file_request(request_for("alice", kAlice), at(kT0), kCaps, kWeek, ids({"AAAAA4"})));
    assert_false(fourth.filed());
    // Another name, even one with no account, has its own count.
    file(store, "ghost", -1, "BBBBB1");
    const auto open = ok_value(store.list_requests({"open", "alice"}, at(kT0)));
    assert_int_equal(open.size(), 3);
    assert_string_equal(open[0].contact.c_str(), "+1 555 0100");
    assert_int_equal(open[0].filed_at, kT0);
    assert_int_equal(open[0].expires_at, kT0 + kWeek);
    assert_string_equal(ok_value(store.find_request("BBBBB1", at(kT0))).account.c_str(), "no such account");
    // A denied request no longer counts.
    assert_true(store.deny_request("AAAAA1", "uid:0 (root)", "not alice", at(kT0)).ok());
    assert_true(ok_value(store.file_request(request_for("alice", kAlice), at(kT0), kCaps, kWeek, ids({"AAAAA4"}))).filed());
}

Filing::Refusal try_filing(Store& store, const char* user, const char* source, const char* rhost = "",
                           RequestCaps caps = kCaps) {
    static int next = 0;
    const std::string id = "F" + std::to_string(10000 + next++);
    return ok_value(store.file_request(request_for(user, kAlice, source, rhost), at(kT0), caps, kWeek, ids({id})))
        .refusal;
}

using Refusal = Filing::Refusal;

// One source holds one open request per name; the network's requests for a
// name and the machine's own count apart.
void a_name_is_capped_per_source_and_apart_for_the_network(void**) {
    StoreDir d;
    Store store = d.open();
    assert_int_equal(try_filing(store, "alice", "rhost:a", "a"), Refusal::None);
    assert_int_equal(try_filing(store, "alice", "rhost:a", "a"), Refusal::AlreadyFiledHere);
    assert_int_equal(try_filing(store, "alice", "rhost:b", "b"), Refusal::None);
    assert_int_equal(try_filing(store, "alice", "rhost:c", "c"), Refusal::None);
    assert_int_equal(try_filing(store, "alice", "rhost:d", "d"), Refusal::UserFull);
    // Three from the network leave the console its own three.
    assert_int_equal(try_filing(store, "alice", "tty:tty1"), Refusal::None);
    assert_int_equal(try_filing(store, "alice", "tty:tty1"), Refusal::AlreadyFiledHere);
    assert_int_equal(try_filing(store, "alice", "uid:1001"), Refusal::None);
    assert_int_equal(try_filing(store, "alice", "tty:tty2"), Refusal::None);
    assert_int_equal(try_filing(store, "alice", "tty:tty3"), Refusal::UserFull);
    assert_int_equal(ok_value(store.list_requests({"open", "alice"}, at(kT0))).size(), 6);
}

void a_source_and_everyone_together_are_capped_across_names(void**) {
    StoreDir d;
    Store store = d.open();
    const RequestCaps caps{3, 2, 4};
    assert_int_equal(try_filing(store, "n1", "rhost:x", "x", caps), Refusal::None);
    assert_int_equal(try_filing(store, "n2", "rhost:x", "x", caps), Refusal::None);
    assert_int_equal(try_filing(store, "n3", "rhost:x", "x", caps), Refusal::SourceFull);
    assert_int_equal(try_filing(store, "n3", "rhost:y", "y", caps), Refusal::None);
    assert_int_equal(try_filing(store, "n4", "tty:tty1", "", caps), Refusal::None);
    assert_int_equal(try_filing(store, "n5", "tty:tty2", "", caps), Refusal::AllFull);
    // An answered request makes room again.
    const auto open = ok_value(store.list_requests({"open", "n1"}, at(kT0)));
    assert_true(store.deny_request(open.front().id, "uid:0 (root)", "spam", at(kT0)).ok());
    assert_int_equal(try_filing(store, "n5", "tty:tty2", "", caps), Refusal::None);
    assert_int_equal(try_filing(store, "n6", "rhost:x", "x", caps), Refusal::AllFull);
}

void a_taken_id_is_drawn_again(void**) {
    StoreDir d;
    Store store = d.open();
    file(store, "alice", kAlice, "AAAAA1");
    const Filing filing =
        ok_value(store.file_request(request_for("bob", kBob), at(kT0), kCaps, kWeek, ids({"AAAAA1", "CCCCC1"})));
    assert_true(filing.filed());
    assert_string_equal(filing.id.c_str(), "CCCCC1");
    assert_string_equal(ok_value(store.find_request("AAAAA1", at(kT0))).user.c_str(), "alice");
}

void an_approval_code_works_once_for_its_account_only(void**) {
    StoreDir d;
    Store store = d.open();
    const std::string id = file(store, "alice", kAlice, "AAAAA1");
    assert_int_equal(ok_value(store.approve_request(grant(id, "alice", kAlice, "code"), at(kT0))), kT0 + kHour);
    assert_string_equal(ok_value(store.find_request(id, at(kT0))).state.c_str(), "approved");
    // bob cannot use alice's code; nor can a later account named alice.
    assert_false(ok_value(store.consume_approval_code(attempt_by("bob", at(kT0)), kBob, test_digest("code"))).consumed);
    assert_false(ok_value(store.consume_approval_code(attempt_by("alice", at(kT0)), 1500, test_digest("code"))).consumed);
    assert_false(ok_value(store.consume_approval_code(attempt_by("alice", at(kT0)), kAlice, test_digest("other"))).consumed);
    const ApprovalCheck used = ok_value(store.consume_approval_code(attempt_by("alice", at(kT0)), kAlice, test_digest("code")));
    assert_true(used.consumed);
    assert_string_equal(used.request_id.c_str(), id.c_str());
    assert_false(ok_value(store.consume_approval_code(attempt_by("alice", at(kT0)), kAlice, test_digest("code"))).consumed);
    assert_true(store.complete_request(id, at(kT0)).ok());
    assert_string_equal(ok_value(store.find_request(id, at(kT0))).state.c_str(), "completed");
    assert_true(store.complete_request(id, at(kT0)).ok());  // again, as a start may
    assert_string_equal(ok_value(store.find_request(id, at(kT0))).state.c_str(), "completed");
    // A completed request cannot be approved again.
    assert_int_equal(static_cast<int>(store.approve_request(grant(id, "alice", kAlice, "again"), at(kT0)).error().code),
                     static_cast<int>(ErrorCode::InvalidArgument));
}

void approval_must_name_the_requests_account(void**) {
    StoreDir d;
    Store store = d.open();
    const std::string id = file(store, "alice", kAlice, "AAAAA1");
    assert_int_equal(static_cast<int>(store.approve_request(grant(id, "alice", 1500, "c"), at(kT0)).error().code),
                     static_cast<int>(ErrorCode::AccessDenied));
    assert_int_equal(static_cast<int>(store.approve_request(grant("ZZZZZ9", "alice", kAlice, "c"), at(kT0)).error().code),
                     static_cast<int>(ErrorCode::NotFound));
    assert_string_equal(d.sql("SELECT count(*) FROM approval_codes").c_str(), "0");
}

void a_denied_requests_code_stops_working(void**) {
    StoreDir d;
    Store store = d.open();
    const std::string id = file(store, "alice", kAlice, "AAAAA1");
    assert_true(store.approve_request(grant(id, "alice", kAlice, "code"), at(kT0)).ok());
    assert_true(store.deny_request(id, "uid:0 (root)", "the caller was not alice", at(kT0)).ok());
    assert_false(ok_value(store.consume_approval_code(attempt_by("alice", at(kT0)), kAlice, test_digest("code"))).consumed);
    assert_string_equal(d.sql("SELECT count(*) FROM approval_codes").c_str(), "0");
    const HelpRequest denied = ok_value(store.find_request(id, at(kT0)));
    assert_string_equal(denied.state.c_str(), "denied");
    assert_string_equal(denied.note.c_str(), "the caller was not alice");
    assert_false(store.deny_request(id, "uid:0 (root)", "twice", at(kT0)).ok());
}

void a_code_expires_and_a_clock_moved_back_does_not_revive_it(void**) {
    StoreDir d;
    Store store = d.open();
    const std::string id = file(store, "alice", kAlice, "AAAAA1");
    assert_true(store.approve_request(grant(id, "alice", kAlice, "code"), at(kT0, 0)).ok());
    // Seen once after its expiry...
    assert_false(ok_value(store.consume_approval_code(attempt_by("alice", at(kT0 + kHour, kHour)), kAlice, test_digest("x"))).consumed);
    // ...then the wall clock is set back an hour, in another boot: still expired.
    assert_false(ok_value(store.consume_approval_code(attempt_by("alice", at(kT0, 5, "boot-b")), kAlice, test_digest("code"))).consumed);
}

void a_clock_moved_back_does_not_stretch_a_live_code(void**) {
    StoreDir d;
    Store store = d.open();
    const std::string id = file(store, "alice", kAlice, "AAAAA1");
    assert_true(store.approve_request(grant(id, "alice", kAlice, "code"), at(kT0, 0)).ok());
    // Within the same boot, the wall clock goes back a day while an hour
    // passes on the boot-time clock: the code's hour is over.
    const ClockReading moved_back = at(kT0 - 24 * kHour, kHour + kSecond);
    assert_false(ok_value(store.consume_approval_code(attempt_by("alice", moved_back), kAlice, test_digest("code"))).consumed);
    assert_string_equal(d.sql("SELECT count(*) FROM approval_codes").c_str(), "0");
}

void judged_time_never_goes_back(void**) {
    StoreDir d;
    Store store = d.open();
    assert_int_equal(ok_value(store.judge_time(at(kT0, 100))), kT0);
    assert_int_equal(ok_value(store.judge_time(at(kT0 - kHour, 100 + kSecond))), kT0 + kSecond);
    assert_int_equal(ok_value(store.judge_time(at(kT0 - kHour, 0, "boot-b"))), kT0 + kSecond);
    assert_int_equal(ok_value(store.judge_time(at(kT0 + kHour, 10, "boot-b"))), kT0 + kHour);
}

void requests_expire_after_their_lifetime(void**) {
    StoreDir d;
    Store store = d.open();
    const std::string id = file(store, "alice", kAlice, "AAAAA1");
    assert_string_equal(ok_value(store.find_request(id, at(kT0 + kWeek - 1))).state.c_str(), "open");
    assert_string_equal(ok_value(store.find_request(id, at(kT0 + kWeek))).state.c_str(), "expired");
    assert_false(store.approve_request(grant(id, "alice", kAlice, "code"), at(kT0 + kWeek)).ok());
}

// Invariant 5: 50 threads present the same code at once; exactly one wins.
void fifty_racing_uses_of_one_code_consume_it_once(void**) {
    StoreDir d;
    Store store = d.open();
    const std::string id = file(store, "alice", kAlice, "AAAAA1");
    assert_true(store.approve_request(grant(id, "alice", kAlice, "code"), at(kT0)).ok());
    std::atomic<int> consumed{0}, errors{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < 50; ++i)
        threads.emplace_back([&] {
            const auto check = store.consume_approval_code(attempt_by("alice", at(kT0)), kAlice, test_digest("code"));
            if (!check.ok())
                ++errors;
            else if (check->consumed)
                ++consumed;
        });
    for (auto& t : threads)
        t.join();
    assert_int_equal(errors.load(), 0);
    assert_int_equal(consumed.load(), 1);
}

}  // namespace

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(filing_stores_the_request_and_caps_open_ones_per_name),
        cmocka_unit_test(a_name_is_capped_per_source_and_apart_for_the_network),
        cmocka_unit_test(a_source_and_everyone_together_are_capped_across_names),
        cmocka_unit_test(a_taken_id_is_drawn_again),
        cmocka_unit_test(an_approval_code_works_once_for_its_account_only),
        cmocka_unit_test(approval_must_name_the_requests_account),
        cmocka_unit_test(a_denied_requests_code_stops_working),
        cmocka_unit_test(a_code_expires_and_a_clock_moved_back_does_not_revive_it),
        cmocka_unit_test(a_clock_moved_back_does_not_stretch_a_live_code),
        cmocka_unit_test(judged_time_never_goes_back),
        cmocka_unit_test(requests_expire_after_their_lifetime),
        cmocka_unit_test(fifty_racing_uses_of_one_code_consume_it_once),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
