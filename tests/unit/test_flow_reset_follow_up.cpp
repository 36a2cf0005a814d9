// What follows a recovery's new password in the flow (PasswordRotation with
// daemon/resets): the name's failed checks forgotten (not its source's), the
// owner's notice (stored, marker in place), pam_faillock's tally reset (a stand-in faillock records its arguments), both audited, and
// the reset handed to the bus layer for the notify hook. A rotation that
// fails leaves none of these.
#include "tests/unit/DaemonFixture.h"

#include <cstring>
#include <optional>
#include <sys/stat.h>
#include <variant>

#include "daemon/flow/Flow.h"
#include "daemon/methods/RecoveryCodes.h"

using namespace recoveryd;
using namespace recoveryd::test;

namespace {

constexpr std::int64_t kT0 = 1'795'000'000;
ClockReading test_clock() { return ClockReading{kT0 * 1000000, "unit-test-boot", 0}; }

int set_up_follow_up(void** state) {
    const int r = set_up(state);
    auto& w = *static_cast<World*>(*state);
    w.services->clock = test_clock;
    {
        std::ofstream script(w.services->faillock.program);
        script << "#!/bin/sh\nprintf '%s\\n' \"$@\" > '" << (w.dir / "faillock.args").string() << "'\n";
    }
    chmod(w.services->faillock.program.c_str(), 0700);
    return r;
}

std::vector<Secret> answers(std::initializer_list<const char*> texts) {
    std::vector<Secret> out;
    for (const char* t : texts)
        out.emplace_back(t);
    return out;
}

Secret enroll_root(World& w) {
    std::vector<Secret> codes = generate_recovery_codes();
    std::vector<Digest> digests;
    for (const Secret& code : codes)
        digests.push_back(hash_recovery_code(*w.key, "root", 0, *normalize_recovery_code(code.view())));
    assert_true(w.store->replace_recovery_codes("root", 0, digests, 1).ok());
    return std::move(codes.front());
}

// One Next; the outcome of its job, if it had one, in `outcome`.
FlowReply step(Flow& flow, std::vector<Secret> given, std::optional<FlowOutcome>* outcome = nullptr) {
    auto action = flow.next(std::move(given));
    assert_true(action.ok());
    if (auto* reply = std::get_if<FlowReply>(&action.value()))
        return *reply;
    FlowOutcome done = std::get<FlowJob>(action.value()).work();
    if (outcome != nullptr)
        *outcome = done;
    return flow.complete(std::move(done));
}

// A recovery of root from sshd at 192.0.2.7, up to the new password.
Flow recover_root(World& w) {
    const Secret code = enroll_root(w);
    Flow flow(*w.services, w.apply_policy(), "root", FlowContext{"sshd", "ssh", "192.0.2.7", "", ""});
    (void)step(flow, {});
    (void)step(flow, answers({"1"}));
    assert_int_equal(step(flow, answers({code.c_str()})).prompt_count(), 2);
    return flow;
}

std::size_t audit_rows(World& w, const char* action, const char* outcome) {
    const auto rows = w.store->list_audit(1000);
    assert_true(rows.ok());
    std::size_t count = 0;
    for (const auto& row : *rows)
        count += row.record.action == action && row.record.outcome == outcome;
    return count;
}

void a_recovery_leaves_a_notice_resets_the_tally_and_is_announced(void** state) {
    auto& w = *static_cast<World*>(*state);
    Flow flow = recover_root(w);
    std::optional<FlowOutcome> outcome;
    const FlowReply done = step(flow, answers({kNewPassword, kNewPassword}), &outcome);
    assert_int_equal(static_cast<int>(done.state), static_cast<int>(FlowState::PasswordChanged));

    assert_true(outcome && outcome->reset);
    const PasswordReset& reset = *outcome->reset;
    assert_string_equal(reset.user.c_str(), "root");
    assert_int_equal(reset.uid, 0);
    assert_int_equal(reset.at, kT0);
    assert_true(reset.way == ResetWay::Recovery);
    assert_string_equal(reset.actor.c_str(), "pam:sshd");
    assert_string_equal(reset.rhost.c_str(), "192.0.2.7");

    assert_string_equal(read_file(w.dir / "faillock.args").c_str(), "--user\nroot\n--reset\n");
    struct stat st {};
    assert_int_equal(stat((w.dir / "notices" / "0").c_str(), &st), 0);
    const NoticeTake take = *w.store->take_owner_notices("root", 0);
    assert_int_equal(take.notices.size(), 1);
    assert_string_equal(take.notices.front().service.c_str(), "sshd");
    assert_string_equal(take.notices.front().rhost.c_str(), "192.0.2.7");
    assert_int_equal(audit_rows(w, "notice.add", "ok"), 1);
    assert_int_equal(audit_rows(w, "faillock.reset", "ok"), 1);
}

// Failed checks of root's, of alice's and from root's source, counted
// within limits that keep them for an hour.
void fail_earlier(World& w) {
    const FailureLimit limit{10, std::chrono::hours(1), std::chrono::hours(1)};
    w.policy.attempt_limits = AttemptLimits{limit, limit, limit, std::chrono::hours(1)};
    const std::string at = std::to_string(kT0 * 1000000);
    run_sql(w, "INSERT INTO failed_checks VALUES ('user', 'root', " + at + "), ('user', 'root', " + at +
                   "), ('user', 'alice', " + at + "), ('source', 'rhost:192.0.2.7', " + at + ")");
}

// The owner proved who they are: their name's failures go, the source's
// stay (it may be guessing other names).
void a_recovery_forgets_the_names_failed_checks_not_the_sources(void** state) {
    auto& w = *static_cast<World*>(*state);
    fail_earlier(w);
    Flow flow = recover_root(w);
    (void)step(flow, answers({kNewPassword, kNewPassword}));
    assert_string_equal(count_rows(w, "failed_checks", "scope = 'user' AND key = 'root'").c_str(), "0");
    assert_string_equal(count_rows(w, "failed_checks", "scope = 'user' AND key = 'alice'").c_str(), "1");
    assert_string_equal(count_rows(w, "failed_checks", "scope = 'source'").c_str(), "1");
}

void a_rotation_that_fails_leaves_nothing_behind(void** state) {
    auto& w = *static_cast<World*>(*state);
    fail_earlier(w);
    Flow flow = recover_root(w);
    std::string shadow = read_file(w.shadow_path());
    write_file(w.shadow_path(), shadow.insert(5, "!"));  // locked meanwhile
    std::optional<FlowOutcome> outcome;
    const FlowReply refused = step(flow, answers({kNewPassword, kNewPassword}), &outcome);
    assert_int_equal(static_cast<int>(refused.state), static_cast<int>(FlowState::Failed));
    assert_true(outcome && !outcome->reset);
    assert_false(std::filesystem::exists(w.dir / "faillock.args"));
    assert_false(std::filesystem::exists(w.dir / "notices" / "0"));
    assert_false(*w.store->has_owner_notices(0));
    assert_int_equal(audit_rows(w, "notice.add", "ok"), 0);
    assert_string_equal(count_rows(w, "failed_checks", "scope = 'user' AND key = 'root'").c_str(), "2");
}

// The directory's sync fails after the rename: the new password is in
// place and in use, so the person is told it changed, the follow-ups run,
// and the failure is audited.
void a_new_password_the_disk_may_lose_is_still_set_and_audited(void** state) {
    auto& w = *static_cast<World*>(*state);
    Flow flow = recover_root(w);
    ShadowFile::Options options;
    options.path = w.shadow_path();
    options.lock_path.clear();
    options.fail_step = [](std::string_view step) { return step == "shadow:fsync-dir"; };
    *w.shadow = ShadowFile(options);
    const FlowReply done = step(flow, answers({kNewPassword, kNewPassword}));
    assert_int_equal(static_cast<int>(done.state), static_cast<int>(FlowState::PasswordChanged));
    assert_true(PasswordHasher::verify(Secret(kNewPassword), w.shadow->find("root")->password_hash));
    assert_int_equal(audit_rows(w, "password.sync", "error"), 1);
    assert_int_equal(audit_rows(w, "password.rotate", "ok"), 1);
    assert_int_equal(audit_rows(w, "notice.add", "ok"), 1);
}

}  // namespace

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(a_recovery_leaves_a_notice_resets_the_tally_and_is_announced, set_up_follow_up,
                                        tear_down),
        cmocka_unit_test_setup_teardown(a_recovery_forgets_the_names_failed_checks_not_the_sources, set_up_follow_up,
                                        tear_down),
        cmocka_unit_test_setup_teardown(a_rotation_that_fails_leaves_nothing_behind, set_up_follow_up, tear_down),
        cmocka_unit_test_setup_teardown(a_new_password_the_disk_may_lose_is_still_set_and_audited, set_up_follow_up,
                                        tear_down),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
