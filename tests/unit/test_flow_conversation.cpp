// The recovery conversation (daemon/flow/Flow) over real parts: a SQLite
// store, a key file and a shadow file in a temp dir. Users come from this
// machine's user database: root (allowed by the test policy) and nobody.

#include "tests/unit/DaemonFixture.h"

#include <cstring>
#include <string>
#include <vector>

#include "daemon/flow/Flow.h"
#include "daemon/methods/RecoveryCodes.h"

using namespace recoveryd;
using namespace recoveryd::test;

namespace {

std::vector<Secret> answers(std::initializer_list<const char*> texts) {
    std::vector<Secret> out;
    for (const char* t : texts)
        out.emplace_back(t);
    return out;
}

// Enrolls codes for root straight into the store (AccountService has its own test).
std::vector<Secret> enroll_root(World& w) {
    std::vector<Secret> codes = generate_recovery_codes();
    std::vector<Digest> digests;
    for (const Secret& code : codes) {
        auto normalized = normalize_recovery_code(code.view());
        assert_true(normalized.ok());
        digests.push_back(hash_recovery_code(*w.key, "root", *normalized));
    }
    assert_true(w.store->replace_recovery_codes("root", digests, 1).ok());
    return codes;
}

// Runs a flow with a code and returns every reply's state and texts, one line each.
std::string transcript(World& w, const char* user, const char* code) {
    Flow flow(*w.services, user, FlowContext{"test", "tty1", "", "", ""});
    std::string out;
    const auto append = [&](const Result<FlowReply>& reply) {
        assert_true(reply.ok());
        out += "state " + std::to_string(static_cast<unsigned>(reply->state)) + "\n";
        for (const auto& m : reply->messages)
            out += std::to_string(static_cast<unsigned>(m.style)) + " " + m.text + "\n";
    };
    append(flow.next({}));
    append(flow.next(answers({code})));
    return out;
}

void recovers_with_a_code_once(void** state) {
    auto& w = *static_cast<World*>(*state);
    const auto codes = enroll_root(w);

    Flow flow(*w.services, "root", FlowContext{"test", "tty1", "", "", ""});
    auto first = flow.next({});
    assert_true(first.ok());
    assert_int_equal(first->prompt_count(), 1);
    auto second = flow.next(answers({codes[3].c_str()}));
    assert_true(second.ok());
    assert_int_equal(static_cast<int>(second->state), static_cast<int>(FlowState::Continue));
    assert_int_equal(second->prompt_count(), 2);
    auto third = flow.next(answers({kNewPassword, kNewPassword}));
    assert_true(third.ok());
    assert_int_equal(static_cast<int>(third->state), static_cast<int>(FlowState::PasswordChanged));
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
    Flow flow(*w.services, "root", FlowContext{});
    auto bad_first = flow.next(answers({"unexpected"}));
    assert_false(bad_first.ok());
    assert_int_equal(static_cast<int>(bad_first.error().code), static_cast<int>(ErrorCode::InvalidArgument));
    assert_true(flow.next({}).ok());
    auto two = flow.next(answers({codes[0].c_str(), codes[1].c_str()}));
    assert_false(two.ok());
    // Neither code was consumed by the refused call.
    auto status = w.store->recovery_code_status("root");
    assert_true(status.ok());
    assert_int_equal(status->remaining, 10);
    auto accepted = flow.next(answers({codes[0].c_str()}));
    assert_true(accepted.ok());
    assert_int_equal(accepted->prompt_count(), 2);
}

void bad_new_passwords_are_asked_again_then_fail(void** state) {
    auto& w = *static_cast<World*>(*state);
    const auto codes = enroll_root(w);
    const std::string before = read_file(w.shadow_path());
    Flow flow(*w.services, "root", FlowContext{});
    assert_true(flow.next({}).ok());
    assert_true(flow.next(answers({codes[0].c_str()})).ok());

    auto mismatch = flow.next(answers({kNewPassword, "something else entirely"}));
    assert_true(mismatch.ok());
    assert_int_equal(static_cast<int>(mismatch->state), static_cast<int>(FlowState::Continue));
    assert_string_equal(mismatch->messages[0].text.c_str(), "The passwords do not match.");
    auto too_short = flow.next(answers({"short", "short"}));
    assert_true(too_short.ok());
    assert_string_equal(too_short->messages[0].text.c_str(),
                        "The new password is too short: use at least 12 characters.");
    auto control = flow.next(answers({"tab\there is long enough", "tab\there is long enough"}));
    assert_true(control.ok());
    assert_int_equal(static_cast<int>(control->state), static_cast<int>(FlowState::Failed));
    assert_string_equal(read_file(w.shadow_path()).c_str(), before.c_str());
}

void policy_excluded_account_keeps_its_codes(void** state) {
    auto& w = *static_cast<World*>(*state);
    const auto codes = enroll_root(w);
    w.policy.allow_root = false;
    const std::string out = transcript(w, "root", codes[0].c_str());
    assert_non_null(strstr(out.c_str(), "That recovery code is not valid."));
    auto status = w.store->recovery_code_status("root");
    assert_true(status.ok());
    assert_int_equal(status->remaining, 10);
}

void continue_policy_ends_in_success(void** state) {
    auto& w = *static_cast<World*>(*state);
    const auto codes = enroll_root(w);
    w.policy.after_reset = AfterReset::Continue;
    Flow flow(*w.services, "root", FlowContext{});
    assert_true(flow.next({}).ok());
    assert_true(flow.next(answers({codes[9].c_str()})).ok());
    auto done = flow.next(answers({kNewPassword, kNewPassword}));
    assert_true(done.ok());
    assert_int_equal(static_cast<int>(done->state), static_cast<int>(FlowState::Succeeded));
}

}  // namespace

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(recovers_with_a_code_once, set_up, tear_down),
        cmocka_unit_test_setup_teardown(unknown_user_and_user_without_codes_look_alike, set_up, tear_down),
        cmocka_unit_test_setup_teardown(wrong_answer_count_changes_nothing, set_up, tear_down),
        cmocka_unit_test_setup_teardown(bad_new_passwords_are_asked_again_then_fail, set_up, tear_down),
        cmocka_unit_test_setup_teardown(policy_excluded_account_keeps_its_codes, set_up, tear_down),
        cmocka_unit_test_setup_teardown(continue_policy_ends_in_success, set_up, tear_down),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
