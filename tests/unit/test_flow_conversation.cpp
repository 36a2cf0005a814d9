// The recovery conversation (daemon/flow/Flow) over real parts: a SQLite
// store, a key file and a shadow file in a temp dir. Users come from this
// machine's user database: root (allowed by the test policy) and nobody.

#include "tests/unit/DaemonFixture.h"

#include <cstdint>
#include <cstring>
#include <variant>
#include <string>
#include <vector>

#include "daemon/flow/Flow.h"
#include "daemon/methods/RecoveryCodes.h"
#include "daemon/resets/RotationIntents.h"

using namespace recoveryd;
using namespace recoveryd::test;

namespace {

std::vector<Secret> answers(std::initializer_list<const char*> texts) {
    std::vector<Secret> out;
    for (const char* t : texts)
        out.emplace_back(t);
    return out;
}

// Enrolls codes for root (uid 0) straight into the store (AccountService has its own test).
std::vector<Secret> enroll_root(World& w, std::int64_t uid = 0) {
    std::vector<Secret> codes = generate_recovery_codes();
    std::vector<Digest> digests;
    for (const Secret& code : codes) {
        auto normalized = normalize_recovery_code(code.view());
        assert_true(normalized.ok());
        digests.push_back(hash_recovery_code(*w.key, "root", uid, *normalized));
    }
    assert_true(w.store->replace_recovery_codes("root", uid, digests, 1).ok());
    return codes;
}

// A flow under the world's policy as it is now.
Flow start_flow(World& w, const char* user, FlowContext context = {}) {
    return Flow(*w.services, w.apply_policy(), user, std::move(context));
}

// One Next as the bus layer runs it: a job's work (here, on this thread),
// then its outcome applied. Fails the test on an error.
FlowReply step(Flow& flow, std::vector<Secret> given) {
    auto action = flow.next(std::move(given));
    assert_true(action.ok());
    if (auto* reply = std::get_if<FlowReply>(&action.value()))
        return *reply;
    return flow.complete(std::get<FlowJob>(action.value()).work());
}

std::uint32_t remaining_codes(World& w) {
    auto status = w.store->recovery_code_status("root", 0);
    assert_true(status.ok());
    return status->remaining;
}

// Runs a flow with a code and returns every reply's state and texts, one line each.
std::string transcript(World& w, const char* user, const char* code) {
    Flow flow = start_flow(w, user, FlowContext{"test", "tty1", "", "", ""});
    std::string out;
    const auto append = [&](const FlowReply& reply) {
        out += "state " + std::to_string(static_cast<unsigned>(reply.state)) + "\n";
        for (const auto& m : reply.messages)
            out += std::to_string(static_cast<unsigned>(m.style)) + " " + m.text + "\n";
    };
    append(step(flow, {}));
    append(step(flow, answers({"1"})));
    append(step(flow, answers({code})));
    return out;
}

void recovers_with_a_code_once(void** state) {
    auto& w = *static_cast<World*>(*state);
    const auto codes = enroll_root(w);

    Flow flow = start_flow(w, "root", FlowContext{"test", "tty1", "", "", ""});
    assert_int_equal(step(flow, {}).prompt_count(), 1);  // the menu
    assert_int_equal(step(flow, answers({"1"})).prompt_count(), 1);
    const FlowReply second = step(flow, answers({codes[3].c_str()}));
    assert_int_equal(static_cast<int>(second.state), static_cast<int>(FlowState::Continue));
    assert_int_equal(second.prompt_count(), 2);
    const FlowReply third = step(flow, answers({kNewPassword, kNewPassword}));
    assert_int_equal(static_cast<int>(third.state), static_cast<int>(FlowState::PasswordChanged));
    assert_true(flow.finished());

    auto entry = w.shadow->find("root");
    assert_true(entry.ok());
    assert_true(PasswordHasher::verify(Secret(kNewPassword), entry->password_hash));
    assert_false(PasswordHasher::verify(Secret(kOldPassword), entry->password_hash));

    // The same code never works again.
    const std::string again = transcript(w, "root", codes[3].c_str());
    assert_non_null(strstr(again.c_str(), "That recovery code is not valid."));
    assert_non_null(strstr(again.c_str(), "state 2"));
}

// recoveryd stops after /etc/shadow changed and before the rotation's
// audit row (here the row cannot be written): the person is still told,
// and the next start audits the change as the login's and follows it up,
// once: the flow left the owner's notice to it.
void a_rotation_whose_audit_row_failed_is_audited_at_the_next_start(void** state) {
    auto& w = *static_cast<World*>(*state);
    const auto codes = enroll_root(w);
    run_sql(w, "CREATE TRIGGER no_row BEFORE INSERT ON audit WHEN NEW.action = 'password.rotate' "
               "BEGIN SELECT RAISE(ABORT, 'stopped'); END");
    Flow flow = start_flow(w, "root", FlowContext{"test", "tty1", "", "", ""});
    step(flow, {});
    step(flow, answers({"1"}));
    step(flow, answers({codes[0].c_str()}));
    const FlowReply done = step(flow, answers({kNewPassword, kNewPassword}));
    assert_int_equal(static_cast<int>(done.state), static_cast<int>(FlowState::PasswordChanged));
    run_sql(w, "DROP TRIGGER no_row");
    assert_false(*w.store->has_owner_notices(0));

    auto settled = settle_interrupted_rotations(*w.services);
    assert_true(settled.ok());
    assert_int_equal(settled->count, 1);
    assert_int_equal(settled->made.size(), 1);
    assert_true(*w.store->has_owner_notices(0));
    auto rows = w.store->list_audit(3);
    assert_true(rows.ok() && rows->size() == 3);
    assert_string_equal((*rows)[1].record.action.c_str(), "faillock.reset");
    assert_string_equal((*rows)[2].record.action.c_str(), "notice.add");
    const AuditRecord& row = rows->front().record;
    assert_string_equal(row.action.c_str(), "password.rotate");
    assert_string_equal(row.outcome.c_str(), "ok");
    assert_string_equal(row.actor.c_str(), "pam:test");
    assert_string_equal(row.tty.c_str(), "tty1");
    assert_non_null(strstr(row.detail.c_str(), "found in /etc/shadow"));
}

void unknown_user_and_user_without_codes_look_alike(void** state) {
    auto& w = *static_cast<World*>(*state);
    (void)enroll_root(w);
    const std::string unknown = transcript(w, "no-such-user-xyz", "AAAA-BBBB-CCCC-DDDD");
    const std::string nobody = transcript(w, "nobody", "AAAA-BBBB-CCCC-DDDD");
    const std::string wrong_for_root = transcript(w, "root", "AAAA-BBBB-CCCC-DDDD");
    assert_string_equal(unknown.c_str(), nobody.c_str());
    assert_string_equal(unknown.c_str(), wrong_for_root.c_str());
}

void wrong_answer_count_changes_nothing(void** state) {
    auto& w = *static_cast<World*>(*state);
    const auto codes = enroll_root(w);
    Flow flow = start_flow(w, "root");
    auto bad_first = flow.next(answers({"unexpected"}));
    assert_false(bad_first.ok());
    assert_int_equal(static_cast<int>(bad_first.error().code), static_cast<int>(ErrorCode::InvalidArgument));
    (void)step(flow, {});
    (void)step(flow, answers({"1"}));
    auto two = flow.next(answers({codes[0].c_str(), codes[1].c_str()}));
    assert_false(two.ok());
    // Neither code was consumed by the refused call.
    assert_int_equal(remaining_codes(w), 10);
    assert_int_equal(step(flow, answers({codes[0].c_str()})).prompt_count(), 2);
}

void bad_new_passwords_are_asked_again_then_fail(void** state) {
    auto& w = *static_cast<World*>(*state);
    const auto codes = enroll_root(w);
    const std::string before = read_file(w.shadow_path());
    Flow flow = start_flow(w, "root");
    (void)step(flow, {});
    (void)step(flow, answers({"1"}));
    (void)step(flow, answers({codes[0].c_str()}));

    const FlowReply mismatch = step(flow, answers({kNewPassword, "something else entirely"}));
    assert_int_equal(static_cast<int>(mismatch.state), static_cast<int>(FlowState::Continue));
    assert_string_equal(mismatch.messages[0].text.c_str(), "The passwords do not match.");
    const FlowReply too_short = step(flow, answers({"short", "short"}));
    assert_string_equal(too_short.messages[0].text.c_str(),
                        "Your new password is too short. Use at least 15 characters.");
    const FlowReply control = step(flow, answers({"tab\there is long enough", "tab\there is long enough"}));
    assert_int_equal(static_cast<int>(control.state), static_cast<int>(FlowState::Failed));
    assert_string_equal(control.messages[0].text.c_str(), "The new password may not contain control characters.");
    assert_string_equal(read_file(w.shadow_path()).c_str(), before.c_str());
}

void policy_excluded_account_keeps_its_codes(void** state) {
    auto& w = *static_cast<World*>(*state);
    const auto codes = enroll_root(w);
    w.policy.allow_root = false;
    const std::string out = transcript(w, "root", codes[0].c_str());
    assert_non_null(strstr(out.c_str(), "That recovery code is not valid."));
    assert_int_equal(remaining_codes(w), 10);
}

void continue_policy_ends_in_success(void** state) {
    auto& w = *static_cast<World*>(*state);
    const auto codes = enroll_root(w);
    w.policy.after_reset = AfterReset::Continue;
    Flow flow = start_flow(w, "root");
    (void)step(flow, {});
    (void)step(flow, answers({"1"}));
    (void)step(flow, answers({codes[9].c_str()}));
    const FlowReply done = step(flow, answers({kNewPassword, kNewPassword}));
    assert_int_equal(static_cast<int>(done.state), static_cast<int>(FlowState::Succeeded));
}

// Locked (usermod -L), disabled (*) and expired accounts are refused like an
// unknown user, and keep their codes (invariant 12).
void locked_disabled_and_expired_accounts_are_refused(void** state) {
    auto& w = *static_cast<World*>(*state);
    const auto codes = enroll_root(w);
    const std::string unknown = transcript(w, "no-such-user-xyz", codes[0].c_str());
    const std::string shadow = read_file(w.shadow_path());
    const std::string hash = shadow.substr(5, shadow.find(':', 5) - 5);
    for (const std::string& line : {"root:!" + hash + ":20000:0:99999:7:::\n", std::string("root:*:20000:0:99999:7:::\n"),
                                    "root:" + hash + ":20000:0:99999:7::1:\n"}) {
        write_file(w.shadow_path(), line);
        assert_string_equal(transcript(w, "root", codes[0].c_str()).c_str(), unknown.c_str());
        assert_int_equal(remaining_codes(w), 10);
    }
}

// The new-password step of a flow that has proved root's identity.
Flow at_new_password(World& w, const Secret& code) {
    Flow flow = start_flow(w, "root");
    (void)step(flow, {});
    (void)step(flow, answers({"1"}));
    assert_int_equal(step(flow, answers({code.c_str()})).prompt_count(), 2);
    return flow;
}

// The refusal's message, after checking the flow asks again.
std::string refusal(Flow& flow, const std::string& password) {
    const FlowReply reply = step(flow, answers({password.c_str(), password.c_str()}));
    assert_int_equal(static_cast<int>(reply.state), static_cast<int>(FlowState::Continue));
    assert_int_equal(reply.prompt_count(), 2);
    assert_int_equal(static_cast<int>(reply.messages[0].style), static_cast<int>(MessageStyle::ErrorMsg));
    return reply.messages[0].text;
}

std::size_t audit_rows(World& w, const std::string& action, const std::string& detail_start) {
    auto rows = w.store->list_audit(1000);
    assert_true(rows.ok());
    std::size_t count = 0;
    for (const auto& row : *rows)
        count += row.record.action == action && row.record.detail.rfind(detail_start, 0) == 0;
    return count;
}

// Each password rule refuses with its own message and the flow asks again,
// three refusals in all; each refusal is audited with its rule.
void each_password_rule_refuses_with_its_own_message(void** state) {
    auto& w = *static_cast<World*>(*state);
    const auto codes = enroll_root(w);
    const std::string before = read_file(w.shadow_path());
    Flow first = at_new_password(w, codes[0]);
    assert_string_equal(refusal(first, std::string(129, 'x') + "yz").c_str(),
                        "Your new password is too long. Use at most 127 characters.");
    assert_string_equal(refusal(first, "the root of all evil is here").c_str(),
                        "Your password must not contain your user name.");
    const FlowReply third = step(first, answers({"Password1234567", "Password1234567"}));
    assert_int_equal(static_cast<int>(third.state), static_cast<int>(FlowState::Failed));
    // The last refusal says why too, then that the flow is over.
    assert_int_equal(third.messages.size(), 2);
    assert_string_equal(third.messages[0].text.c_str(),
                        "This password is too common or too easy to guess. Choose another: a few unrelated words "
                        "make a long password that is easy to remember.");
    assert_string_equal(third.messages[1].text.c_str(), "Too many attempts. Start again from the login prompt.");
    assert_string_equal(read_file(w.shadow_path()).c_str(), before.c_str());
    assert_int_equal(audit_rows(w, "password.check", "length: "), 1);
    assert_int_equal(audit_rows(w, "password.check", "user-name: "), 1);
    assert_int_equal(audit_rows(w, "password.check", "blocklist: libpwquality: "), 1);

    Flow second = at_new_password(w, codes[1]);
    assert_string_equal(refusal(second, "Password1234567").c_str(),
                        "This password is too common or too easy to guess. Choose another: a few unrelated words "
                        "make a long password that is easy to remember.");
    assert_string_equal(refusal(second, kOldPassword).c_str(),
                        "You used this password recently. Choose one you have not used before.");
    assert_int_equal(audit_rows(w, "password.check", "history: "), 1);
    const FlowReply done = step(second, answers({kNewPassword, kNewPassword}));
    assert_int_equal(static_cast<int>(done.state), static_cast<int>(FlowState::PasswordChanged));
    auto entry = w.shadow->find("root");
    assert_true(entry.ok());
    assert_true(PasswordHasher::verify(Secret(kNewPassword), entry->password_hash));
}

// A rotation puts the replaced hash into the history: the old password
// and the new one are refused next time, another one is not.
void a_rotation_remembers_the_replaced_password(void** state) {
    auto& w = *static_cast<World*>(*state);
    const auto codes = enroll_root(w);
    const std::string old_hash = std::string(w.shadow->find("root")->password_hash);
    Flow first = at_new_password(w, codes[0]);
    assert_int_equal(static_cast<int>(step(first, answers({kNewPassword, kNewPassword})).state),
                     static_cast<int>(FlowState::PasswordChanged));
    auto history = w.store->password_history("root", 0, 10);
    assert_true(history.ok());
    assert_int_equal(history->size(), 1);
    assert_string_equal(std::string((*history)[0].view()).c_str(), old_hash.c_str());

    Flow second = at_new_password(w, codes[1]);
    constexpr const char* kUsed = "You used this password recently. Choose one you have not used before.";
    assert_string_equal(refusal(second, kNewPassword).c_str(), kUsed);
    assert_string_equal(refusal(second, kOldPassword).c_str(), kUsed);
    constexpr const char* kThird = "a third, unrelated passphrase";
    assert_int_equal(static_cast<int>(step(second, answers({kThird, kThird})).state),
                     static_cast<int>(FlowState::PasswordChanged));

    // RememberLast = 0: no history, not even the current password.
    w.policy.password.remember_last = 0;
    Flow third = at_new_password(w, codes[2]);
    assert_int_equal(static_cast<int>(step(third, answers({kOldPassword, kOldPassword})).state),
                     static_cast<int>(FlowState::PasswordChanged));
    assert_int_equal(w.store->password_history("root", 0, 10)->size(), 0);
}

// A lock that lands between the code and the new password wins: checked
// again under the password database lock, just before the write.
void lock_during_the_flow_wins(void** state) {
    auto& w = *static_cast<World*>(*state);
    const auto codes = enroll_root(w);
    Flow flow = start_flow(w, "root");
    (void)step(flow, {});
    (void)step(flow, answers({"1"}));
    assert_int_equal(step(flow, answers({codes[0].c_str()})).prompt_count(), 2);
    std::string shadow = read_file(w.shadow_path());
    shadow.insert(5, "!");  // usermod -L
    write_file(w.shadow_path(), shadow);
    const FlowReply refused = step(flow, answers({kNewPassword, kNewPassword}));
    assert_int_equal(static_cast<int>(refused.state), static_cast<int>(FlowState::Failed));
    assert_string_equal(read_file(w.shadow_path()).c_str(), shadow.c_str());
}

// Codes enrolled by an earlier account of the same name (another uid) are
// refused, and retired.
void codes_of_an_earlier_account_are_retired(void** state) {
    auto& w = *static_cast<World*>(*state);
    const auto codes = enroll_root(w, 4242);
    const std::string out = transcript(w, "root", codes[0].c_str());
    assert_non_null(strstr(out.c_str(), "That recovery code is not valid."));
    auto status = w.store->recovery_code_status("root", 4242);
    assert_true(status.ok());
    assert_int_equal(status->remaining, 0);
}

// While a job is out, the flow takes no other answer.
void one_answer_at_a_time(void** state) {
    auto& w = *static_cast<World*>(*state);
    const auto codes = enroll_root(w);
    Flow flow = start_flow(w, "root");
    (void)step(flow, {});
    (void)step(flow, answers({"1"}));
    auto action = flow.next(answers({codes[0].c_str()}));
    assert_true(action.ok());
    assert_true(std::holds_alternative<FlowJob>(action.value()));
    auto again = flow.next(answers({codes[1].c_str()}));
    assert_false(again.ok());
    assert_int_equal(static_cast<int>(again.error().code), static_cast<int>(ErrorCode::Unavailable));
    (void)flow.complete(std::get<FlowJob>(action.value()).work());
    assert_int_equal(remaining_codes(w), 9);
}

}  // namespace

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(recovers_with_a_code_once, set_up, tear_down),
        cmocka_unit_test_setup_teardown(a_rotation_whose_audit_row_failed_is_audited_at_the_next_start, set_up,
                                        tear_down),
        cmocka_unit_test_setup_teardown(unknown_user_and_user_without_codes_look_alike, set_up, tear_down),
        cmocka_unit_test_setup_teardown(wrong_answer_count_changes_nothing, set_up, tear_down),
        cmocka_unit_test_setup_teardown(bad_new_passwords_are_asked_again_then_fail, set_up, tear_down),
        cmocka_unit_test_setup_teardown(policy_excluded_account_keeps_its_codes, set_up, tear_down),
        cmocka_unit_test_setup_teardown(continue_policy_ends_in_success, set_up, tear_down),
        cmocka_unit_test_setup_teardown(locked_disabled_and_expired_accounts_are_refused, set_up, tear_down),
        cmocka_unit_test_setup_teardown(lock_during_the_flow_wins, set_up, tear_down),
        cmocka_unit_test_setup_teardown(codes_of_an_earlier_account_are_retired, set_up, tear_down),
        cmocka_unit_test_setup_teardown(one_answer_at_a_time, set_up, tear_down),
        cmocka_unit_test_setup_teardown(each_password_rule_refuses_with_its_own_message, set_up, tear_down),
        cmocka_unit_test_setup_teardown(a_rotation_remembers_the_replaced_password, set_up, tear_down),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
