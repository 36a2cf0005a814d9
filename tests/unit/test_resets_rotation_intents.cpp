// Unit tests for rotation intents: a change of /etc/shadow that recoveryd
// could not audit before it stopped is audited at the next start, with
// what the file then holds; a finished one leaves nothing to settle.
#include "tests/unit/DaemonFixture.h"

#include "daemon/resets/RotationIntents.h"

using namespace recoveryd;
using namespace recoveryd::test;

namespace {

AuditRecord success_row() {
    AuditRecord row{};
    row.actor = "pam:login";
    row.target_user = "root";
    row.service = "login";
    row.tty = "tty1";
    row.action = "password.rotate";
    row.outcome = "ok";
    return row;
}

std::string new_hash(World& w) {
    auto hash = w.hasher->hash(Secret(kNewPassword), "");
    assert_true(hash.ok());
    return std::string(hash->view());
}

std::vector<AuditRow> audit(World& w) {
    auto rows = w.store->list_audit(1000);
    assert_true(rows.ok());
    return *rows;
}

std::size_t intents_left(World& w) {
    auto intents = w.store->rotation_intents();
    assert_true(intents.ok());
    return intents->size();
}

// Settles what is left, as a start does; the rows that wrote. `made`: the
// resets it reports as found made.
std::vector<AuditRow> settle(World& w, std::size_t expected, std::vector<PasswordReset>* made = nullptr) {
    const std::size_t before = audit(w).size();
    auto settled = settle_interrupted_rotations(*w.services);
    assert_true(settled.ok());
    assert_int_equal(settled->count, expected);
    if (made)
        *made = settled->made;
    auto rows = audit(w);
    return {rows.begin() + static_cast<std::ptrdiff_t>(before), rows.end()};
}

bool has_notice(World& w, std::int64_t uid) {
    auto has = w.store->has_owner_notices(uid);
    assert_true(has.ok());
    return *has;
}

// recoveryd stopped after /etc/shadow changed and before the audit row:
// the change is audited at the next start, as the login that made it, and
// what follows a recovery is done then: the owner's notice, pam_faillock's
// tally, the notify hook (left to the caller, which serves).
void a_change_cut_off_before_its_audit_row_is_audited_at_start(void** state) {
    auto& w = *static_cast<World*>(*state);
    const std::string hash = new_hash(w);
    auto intent = note_rotation(*w.services, success_row(), 0, hash);
    assert_true(intent.ok());
    assert_true(w.shadow->set_password_hash("root", hash, 20500).ok());
    intent->lock.close();  // recoveryd stopped: the audit row never came
    assert_false(has_notice(w, 0));
    std::vector<PasswordReset> made;
    const auto rows = settle(w, 1, &made);
    assert_int_equal(rows.size(), 3);
    assert_string_equal(rows[1].record.action.c_str(), "notice.add");
    assert_string_equal(rows[1].record.outcome.c_str(), "ok");
    assert_string_equal(rows[1].record.actor.c_str(), "pam:login");
    assert_string_equal(rows[2].record.action.c_str(), "faillock.reset");
    assert_true(has_notice(w, 0));
    assert_int_equal(made.size(), 1);
    assert_true(made[0].way == ResetWay::Recovery);
    assert_string_equal(made[0].user.c_str(), "root");
    assert_string_equal(made[0].tty.c_str(), "tty1");
    const AuditRecord& row = rows[0].record;
    assert_string_equal(row.action.c_str(), "password.rotate");
    assert_string_equal(row.outcome.c_str(), "ok");
    assert_string_equal(row.actor.c_str(), "pam:login");
    assert_string_equal(row.target_user.c_str(), "root");
    assert_string_equal(row.tty.c_str(), "tty1");
    assert_true(row.detail.find("found in /etc/shadow") != std::string::npos);
    assert_int_equal(intents_left(w), 0);
    assert_true(settle(w, 0).empty());  // once
}

// recoveryd stopped after the intent and before the rewrite: audited as a
// change that was not made.
void a_change_cut_off_before_the_rewrite_is_audited_as_not_made(void** state) {
    auto& w = *static_cast<World*>(*state);
    const std::string before = read_file(w.shadow_path());
    assert_true(note_rotation(*w.services, success_row(), 0, new_hash(w)).ok());  // and stopped
    std::vector<PasswordReset> made;
    const auto rows = settle(w, 1, &made);
    assert_int_equal(rows.size(), 1);  // nothing follows a change not made
    assert_true(made.empty());
    assert_false(has_notice(w, 0));
    assert_string_equal(rows[0].record.outcome.c_str(), "error");
    assert_true(rows[0].record.detail.find("interrupted") != std::string::npos);
    assert_string_equal(read_file(w.shadow_path()).c_str(), before.c_str());
    assert_int_equal(intents_left(w), 0);
}

// The audit row of the success removes its intent in the same transaction;
// a row that names no intent is not written at all.
void the_success_row_settles_its_intent(void** state) {
    auto& w = *static_cast<World*>(*state);
    const std::string hash = new_hash(w);
    auto intent = note_rotation(*w.services, success_row(), 0, hash);
    assert_true(intent.ok());
    assert_true(w.shadow->set_password_hash("root", hash, 20500).ok());
    assert_true(w.audit->record(success_row(), intent->id).ok());
    intent->lock.close();
    assert_int_equal(intents_left(w), 0);
    assert_true(settle(w, 0).empty());

    const std::size_t rows = audit(w).size();
    assert_false(w.audit->record(success_row(), intent->id).ok());
    assert_int_equal(audit(w).size(), rows);
}

// A rewrite that failed drops its intent: nothing to audit twice.
void a_dropped_intent_is_not_settled(void** state) {
    auto& w = *static_cast<World*>(*state);
    auto intent = note_rotation(*w.services, success_row(), 0, new_hash(w));
    assert_true(intent.ok());
    drop_rotation(*w.services, *intent);
    intent->lock.close();
    assert_true(settle(w, 0).empty());
}

// An instance that stops gives up its name before its last rewrite ends;
// the next instance's start leaves that rewrite's intent to it.
void a_start_leaves_the_intent_of_a_rewrite_in_progress(void** state) {
    auto& w = *static_cast<World*>(*state);
    const std::string hash = new_hash(w);
    auto intent = note_rotation(*w.services, success_row(), 0, hash);
    assert_true(intent.ok());
    auto busy = settle_interrupted_rotations(*w.services);
    assert_false(busy.ok());
    assert_int_equal(static_cast<int>(busy.error().code), static_cast<int>(ErrorCode::Unavailable));
    assert_int_equal(intents_left(w), 1);
    assert_true(w.shadow->set_password_hash("root", hash, 20500).ok());
    assert_true(w.audit->record(success_row(), intent->id).ok());
    intent->lock.close();
    assert_true(settle(w, 0).empty());
}

}  // namespace

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(a_change_cut_off_before_its_audit_row_is_audited_at_start, set_up, tear_down),
        cmocka_unit_test_setup_teardown(a_change_cut_off_before_the_rewrite_is_audited_as_not_made, set_up,
                                        tear_down),
        cmocka_unit_test_setup_teardown(the_success_row_settles_its_intent, set_up, tear_down),
        cmocka_unit_test_setup_teardown(a_dropped_intent_is_not_settled, set_up, tear_down),
        cmocka_unit_test_setup_teardown(a_start_leaves_the_intent_of_a_rewrite_in_progress, set_up, tear_down),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
