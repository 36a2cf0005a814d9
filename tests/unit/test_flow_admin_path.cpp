// The administrator path in the recovery conversation (daemon/flow): the
// menu, a request for help filed at the prompt, and an administrator's
// approval code, over real parts (SQLite store, key file, shadow file in a
// temp dir). Approvals go straight into the store here; AdminService has
// its own test.

#include "tests/unit/DaemonFixture.h"

#include <cstring>
#include <string>
#include <variant>
#include <vector>

#include "daemon/flow/Flow.h"
#include "daemon/methods/ApprovalCodes.h"
#include "daemon/methods/RecoveryCodes.h"
#include "daemon/resets/RotationIntents.h"

using namespace recoveryd;
using namespace recoveryd::test;

namespace {

constexpr std::int64_t kT0 = 1'800'000'000LL * 1000000;
ClockReading g_clock{kT0, "unit-test-boot", 0};
ClockReading test_clock() { return g_clock; }


int set_up_admin(void** state) {
    const int r = set_up(state);
    static_cast<World*>(*state)->services->clock = test_clock;
    g_clock = ClockReading{kT0, "unit-test-boot", 0};
    return r;
}

FlowReply step(Flow& flow, std::vector<Secret> given) {
    auto action = flow.next(std::move(given));
    assert_true(action.ok());
    if (auto* reply = std::get_if<FlowReply>(&action.value()))
        return *reply;
    auto job = std::get<FlowJob>(std::move(action.value()));
    FlowOutcome outcome = job.work();
    return flow.complete(std::move(outcome));
}

std::string render(const FlowReply& reply) {
    std::string out = "state " + std::to_string(static_cast<unsigned>(reply.state)) + "\n";
    for (const auto& m : reply.messages)
        out += std::to_string(static_cast<unsigned>(m.style)) + " " + m.text + "\n";
    return out;
}

// A whole conversation at `tty`: the start, then each answer list in turn.
std::string converse(World& w, const char* user, std::vector<std::vector<const char*>> rounds,
                     const std::string& tty = "tty1") {
    Flow flow(*w.services, w.apply_policy(), user, FlowContext{"login", tty, "", "", ""});
    std::string out = render(step(flow, {}));
    for (const auto& round : rounds) {
        std::vector<Secret> given;
        for (const char* a : round)
            given.emplace_back(a);
        out += render(step(flow, std::move(given)));
        if (flow.finished())
            break;
    }
    return out;
}

// The id a transcript tells the person, masked so transcripts compare.
// (By hand: std::regex trips GCC 12's -Wmaybe-uninitialized under ASan.)
std::string mask_ids(std::string text) {
    const auto id_char = [](char c) { return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z'); };
    for (std::size_t i = 0; i + 7 <= text.size(); ++i) {
        bool id = text[i + 3] == '-';
        for (std::size_t k : {0, 1, 2, 4, 5, 6})
            id = id && id_char(text[i + k]);
        if (id)
            text.replace(i, 7, "XXX-XXX");
    }
    return text;
}

std::string only_request_id(World& w) {
    auto requests = w.store->list_requests({}, g_clock);
    assert_true(requests.ok());
    assert_int_equal(requests->size(), 1);
    return requests->front().id;
}

// An approval for `id` as `recoveryctl approve` makes it, for root (uid 0).
Secret approve(World& w, const std::string& id, const char* user = "root", std::int64_t uid = 0) {
    Secret code = generate_approval_code();
    auto normalized = normalize_approval_code(code.view());
    assert_true(normalized.ok());
    ApprovalGrant grant{id, user, uid, hash_approval_code(*w.key, user, uid, *normalized), 3600LL * 1000000,
                        "uid:0 (root)", ""};
    assert_true(w.store->approve_request(grant, g_clock).ok());
    return code;
}

void the_menu_is_the_same_for_every_name(void** state) {
    auto& w = *static_cast<World*>(*state);
    const std::string root = converse(w, "root", {{"2"}, {"AAAA-BBBB-CCCC"}});
    assert_string_equal(converse(w, "no-such-user-xyz", {{"2"}, {"AAAA-BBBB-CCCC"}}).c_str(), root.c_str());
    assert_string_equal(converse(w, "nobody", {{"2"}, {"AAAA-BBBB-CCCC"}}).c_str(), root.c_str());
    assert_non_null(strstr(root.c_str(), "1. Enter a recovery code"));
    assert_non_null(strstr(root.c_str(), "2. I have a code from an administrator"));
    assert_non_null(strstr(root.c_str(), "3. Request help from an administrator"));
    assert_non_null(strstr(root.c_str(), "That code is not valid."));
}

void a_bad_choice_is_asked_again_three_times_at_most(void** state) {
    auto& w = *static_cast<World*>(*state);
    const std::string out = converse(w, "root", {{"4"}, {"one"}, {""}});
    assert_non_null(strstr(out.c_str(), "Type the number of one of the choices."));
    assert_non_null(strstr(out.c_str(), "Too many attempts."));
    auto rows = w.store->list_audit(10);
    assert_true(rows.ok() && !rows->empty());
    assert_string_equal(rows->back().record.action.c_str(), "answer.check");  // the end is on record
    const std::string recovered = converse(w, "root", {{"x"}, {" 2 "}});
    assert_non_null(strstr(recovered.c_str(), "Administrator's code: "));
}

void a_request_is_filed_the_same_way_for_every_name(void** state) {
    auto& w = *static_cast<World*>(*state);
    const std::vector<std::vector<const char*>> rounds = {{"3"}, {"+1 555 0100"}, {"forgot my password"}};
    const std::string root = converse(w, "root", rounds);
    const std::string unknown = converse(w, "no-such-user-xyz", rounds);
    assert_string_equal(mask_ids(unknown).c_str(), mask_ids(root).c_str());
    assert_non_null(strstr(root.c_str(), "Your request for help has been sent"));
    const auto of_root = w.store->list_requests({"open", "root"}, g_clock);
    const auto of_unknown = w.store->list_requests({"open", "no-such-user-xyz"}, g_clock);
    assert_true(of_root.ok() && of_root->size() == 1 && of_unknown.ok() && of_unknown->size() == 1);
    assert_string_equal(of_root->front().account.c_str(), "recoverable");
    assert_string_equal(of_unknown->front().account.c_str(), "no such account");
    assert_string_equal(of_root->front().contact.c_str(), "+1 555 0100");
    assert_string_equal(of_root->front().tty.c_str(), "tty1");
}

// Gives the fixture's shadow file more of this machine's system accounts
// (Debian's base-passwd: daemon 1, bin 2, sys 3), each with root's password.
void add_accounts(World& w, std::initializer_list<std::string> lines) {
    std::string shadow = read_file(w.shadow_path());
    const auto root = w.shadow->find("root");
    assert_true(root.ok());
    const std::string root_hash(root->password_hash.begin(), root->password_hash.end());
    for (std::string line : lines) {
        if (const auto at = line.find("HASH"); at != std::string::npos)
            line.replace(at, 4, root_hash);
        shadow += line + "\n";
    }
    write_file(w.shadow_path(), shadow);
}

void enroll_codes(World& w, const char* user, std::int64_t uid) {
    std::vector<Digest> digests;
    for (const Secret& code : generate_recovery_codes()) {
        auto normalized = normalize_recovery_code(code.view());
        assert_true(normalized.ok());
        digests.push_back(hash_recovery_code(*w.key, user, uid, *normalized));
    }
    assert_true(w.store->replace_recovery_codes(user, uid, digests, 1).ok());
}

// Whoever sits at the prompt learns nothing about the name typed: every
// prompt and message of filing a request reads the same for each kind of
// account, and each request reaches the administrators with what was found.
void filing_reads_the_same_for_every_kind_of_account(void** state) {
    auto& w = *static_cast<World*>(*state);
    w.policy.min_uid = 2;  // root by AllowRoot; daemon (uid 1) is excluded
    add_accounts(w, {"daemon:HASH:20000:0:99999:7:::", "bin:!HASH:20000:0:99999:7:::",
                     "sys:HASH:20000:0:99999:7:::"});
    enroll_codes(w, "root", 0);
    const struct {
        const char* user;
        const char* account;  // as the administrator sees it
    } kinds[] = {
        {"root", "recoverable"},                  // codes enrolled
        {"sys", "recoverable"},                   // nothing enrolled
        {"bin", "account locked"},                // usermod -L
        {"daemon", "account not recoverable by policy"},
        {"nobody", "account disabled"},           // '*' in the fixture
        {"no-such-user-xyz", "no such account"},
    };
    const std::vector<std::vector<const char*>> rounds = {{"3"}, {"+1 555 0100"}, {"forgot my password"}};
    const std::string enrolled = mask_ids(converse(w, "root", rounds));
    assert_non_null(strstr(enrolled.c_str(), "Your request for help has been sent"));
    int tty = 2;  // each from a terminal of its own, so no source's cap is met
    for (const auto& kind : kinds) {
        const std::string transcript = mask_ids(converse(w, kind.user, rounds, "tty" + std::to_string(tty++)));
        if (transcript != enrolled)
            fail_msg("%s's transcript differs from an enrolled user's:\n%s\n---\n%s", kind.user, transcript.c_str(),
                     enrolled.c_str());
        const auto requests = w.store->list_requests({"open", kind.user}, g_clock);
        assert_true(requests.ok());
        assert_int_equal(requests->size(), std::string(kind.user) == "root" ? 2 : 1);
        assert_string_equal(requests->back().account.c_str(), kind.account);
        assert_string_equal(requests->back().reason.c_str(), "forgot my password");
    }
}

void the_request_cap_reads_the_same_for_every_name(void** state) {
    auto& w = *static_cast<World*>(*state);
    w.policy.admin.max_open_requests_per_user = 1;
    const std::vector<std::vector<const char*>> rounds = {{"3"}, {"me@example.org"}, {"locked out"}};
    (void)converse(w, "root", rounds);
    (void)converse(w, "no-such-user-xyz", rounds);
    // Again from the same terminal, and from another one (the name's cap).
    for (const char* tty : {"tty1", "tty2"}) {
        const std::string root = converse(w, "root", rounds, tty);
        assert_string_equal(converse(w, "no-such-user-xyz", rounds, tty).c_str(), root.c_str());
        assert_non_null(strstr(root.c_str(), "already open"));
    }
    assert_int_equal(w.store->list_requests({}, g_clock)->size(), 2);
}

// One terminal filing for many names meets its source's cap, which reads
// the same for every name and says nothing of the account.
void a_sources_cap_reads_the_same_for_every_name(void** state) {
    auto& w = *static_cast<World*>(*state);
    w.policy.admin.max_open_requests_per_source = 2;
    const std::vector<std::vector<const char*>> rounds = {{"3"}, {"me@example.org"}, {"locked out"}};
    (void)converse(w, "ghost-1", rounds);
    (void)converse(w, "ghost-2", rounds);
    const std::string root = converse(w, "root", rounds);
    assert_string_equal(converse(w, "no-such-user-xyz", rounds).c_str(), root.c_str());
    assert_non_null(strstr(root.c_str(), "Too many requests for help are open"));
    assert_int_equal(w.store->list_requests({"open", "root"}, g_clock)->size(), 0);
    // Another terminal still files.
    assert_non_null(strstr(converse(w, "root", rounds, "tty2").c_str(), "Your request for help has been sent"));
}

void bad_contact_details_are_asked_again(void** state) {
    auto& w = *static_cast<World*>(*state);
    const std::string too_long(201, 'x');
    const std::string out = converse(w, "root", {{"3"}, {"\x1b[31mred"}, {too_long.c_str()}, {"   "}});
    assert_non_null(strstr(out.c_str(), "without control characters"));
    assert_non_null(strstr(out.c_str(), "Too many attempts."));
    auto requests = w.store->list_requests({}, g_clock);
    assert_true(requests.ok());
    assert_int_equal(requests->size(), 0);
}

void an_approval_code_recovers_once_and_completes_the_request(void** state) {
    auto& w = *static_cast<World*>(*state);
    (void)converse(w, "root", {{"3"}, {"+1 555 0100"}, {"forgot my password"}});
    const std::string id = only_request_id(w);
    const Secret code = approve(w, id);

    const std::string out = converse(w, "root", {{"2"}, {code.c_str()}, {kNewPassword, kNewPassword}});
    assert_non_null(strstr(out.c_str(), "Code accepted."));
    assert_non_null(strstr(out.c_str(), "Your password has been changed."));
    auto entry = w.shadow->find("root");
    assert_true(entry.ok());
    assert_true(PasswordHasher::verify(Secret(kNewPassword), entry->password_hash));
    assert_string_equal(w.store->find_request(id, g_clock)->state.c_str(), "completed");
    // Used once: the same code is refused like any wrong code.
    const std::string again = converse(w, "root", {{"2"}, {code.c_str()}});
    assert_string_equal(again.c_str(), converse(w, "root", {{"2"}, {"AAAA-BBBB-CCCC"}}).c_str());
}

// recoveryd stops after the rewrite and before the rotation's audit row
// (here the row cannot be written): the next start completes the request
// whose approval code was used, as the flow would have.
void a_cut_off_recovery_with_an_approval_code_completes_its_request_at_start(void** state) {
    auto& w = *static_cast<World*>(*state);
    (void)converse(w, "root", {{"3"}, {"+1 555 0100"}, {"forgot my password"}});
    const std::string id = only_request_id(w);
    const Secret code = approve(w, id);
    run_sql(w, "CREATE TRIGGER no_row BEFORE INSERT ON audit WHEN NEW.action = 'password.rotate' "
               "BEGIN SELECT RAISE(ABORT, 'stopped'); END");
    const std::string out = converse(w, "root", {{"2"}, {code.c_str()}, {kNewPassword, kNewPassword}});
    assert_non_null(strstr(out.c_str(), "Your password has been changed."));
    run_sql(w, "DROP TRIGGER no_row");
    assert_string_equal(w.store->find_request(id, g_clock)->state.c_str(), "approved");

    auto settled = settle_interrupted_rotations(*w.services);
    assert_true(settled.ok());
    assert_int_equal(settled->made.size(), 1);
    assert_string_equal(settled->made[0].request_id.c_str(), id.c_str());
    assert_string_equal(w.store->find_request(id, g_clock)->state.c_str(), "completed");
}

void expired_denied_and_other_users_codes_fail_like_a_wrong_code(void** state) {
    auto& w = *static_cast<World*>(*state);
    const std::string wrong = converse(w, "root", {{"2"}, {"AAAA-BBBB-CCCC"}});
    (void)converse(w, "root", {{"3"}, {"+1 555 0100"}, {"forgot"}});
    const std::string id = only_request_id(w);

    const Secret expired = approve(w, id);
    g_clock.wall_us += 3601LL * 1000000;
    g_clock.boot_us += 3601LL * 1000000;
    assert_string_equal(converse(w, "root", {{"2"}, {expired.c_str()}}).c_str(), wrong.c_str());

    const Secret denied = approve(w, id);
    assert_true(w.store->deny_request(id, "uid:0 (root)", "not them", g_clock).ok());
    assert_string_equal(converse(w, "root", {{"2"}, {denied.c_str()}}).c_str(), wrong.c_str());

    // A code bound to nobody (uid 65534) does not work for root.
    (void)converse(w, "nobody", {{"3"}, {"+1 555 0101"}, {"forgot"}});
    auto requests = w.store->list_requests({"open", "nobody"}, g_clock);
    assert_true(requests.ok() && requests->size() == 1);
    const Secret nobodys = approve(w, requests->front().id, "nobody", 65534);
    assert_string_equal(converse(w, "root", {{"2"}, {nobodys.c_str()}}).c_str(), wrong.c_str());
}

void a_locked_accounts_approval_code_is_refused_and_kept(void** state) {
    auto& w = *static_cast<World*>(*state);
    const std::string wrong = converse(w, "root", {{"2"}, {"AAAA-BBBB-CCCC"}});
    (void)converse(w, "root", {{"3"}, {"+1 555 0100"}, {"forgot"}});
    const Secret code = approve(w, only_request_id(w));
    std::string shadow = read_file(w.shadow_path());
    shadow.insert(5, "!");  // usermod -L
    write_file(w.shadow_path(), shadow);
    assert_string_equal(converse(w, "root", {{"2"}, {code.c_str()}}).c_str(), wrong.c_str());
    shadow.erase(5, 1);  // usermod -U: the code still works
    write_file(w.shadow_path(), shadow);
    assert_non_null(strstr(converse(w, "root", {{"2"}, {code.c_str()}}).c_str(), "Code accepted."));
}

}  // namespace

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(the_menu_is_the_same_for_every_name, set_up_admin, tear_down),
        cmocka_unit_test_setup_teardown(a_bad_choice_is_asked_again_three_times_at_most, set_up_admin, tear_down),
        cmocka_unit_test_setup_teardown(a_request_is_filed_the_same_way_for_every_name, set_up_admin, tear_down),
        cmocka_unit_test_setup_teardown(filing_reads_the_same_for_every_kind_of_account, set_up_admin, tear_down),
        cmocka_unit_test_setup_teardown(a_sources_cap_reads_the_same_for_every_name, set_up_admin, tear_down),
        cmocka_unit_test_setup_teardown(the_request_cap_reads_the_same_for_every_name, set_up_admin, tear_down),
        cmocka_unit_test_setup_teardown(bad_contact_details_are_asked_again, set_up_admin, tear_down),
        cmocka_unit_test_setup_teardown(a_cut_off_recovery_with_an_approval_code_completes_its_request_at_start,
                                        set_up_admin, tear_down),
        cmocka_unit_test_setup_teardown(an_approval_code_recovers_once_and_completes_the_request, set_up_admin,
                                        tear_down),
        cmocka_unit_test_setup_teardown(expired_denied_and_other_users_codes_fail_like_a_wrong_code, set_up_admin,
                                        tear_down),
        cmocka_unit_test_setup_teardown(a_locked_accounts_approval_code_is_refused_and_kept, set_up_admin, tear_down),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
