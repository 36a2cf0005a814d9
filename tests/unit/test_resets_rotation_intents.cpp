// Unit tests for rotation intents: a change of /etc/shadow that recoveryd
// could not audit before it stopped is audited at the next start, with
// what the file then holds; one audited whose follow-ups a stop cut short
// is followed up then; a finished one leaves nothing to settle.
#include "tests/unit/DaemonFixture.h"

#include "daemon/password/PasswordHistory.h"
#include "daemon/resets/ResetFollowUp.h"
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

std::string root_hash(World& w) {
    auto entry = w.shadow->find("root");
    assert_true(entry.ok());
    return std::string(std::string_view(entry->password_hash));
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

std::size_t notices_of_root(World& w) {
    auto take = w.store->take_owner_notices("root", 0);
    assert_true(take.ok());
    return take->notices.size();
}

bool has_notice(World& w, std::int64_t uid) {
    auto has = w.store->has_owner_notices(uid);
    assert_true(has.ok());
    return *has;
}

// A failed identity check of root's on record, which only a change found
// made clears.
void fail_earlier_as_root(World& w) {
    const FailureLimit limit{10, std::chrono::hours(1), std::chrono::hours(1)};
    w.policy.attempt_limits = AttemptLimits{limit, limit, limit, std::chrono::hours(1)};
    w.apply_policy();
    const auto now = std::to_string(w.services->clock().wall_us);
    run_sql(w, "INSERT INTO failed_checks VALUES ('user', 'root', " + now + ")");
}

// Follows up a recovery of root as the flow does, ending `intent`.
void follow_up(World& w, std::int64_t intent) {
    PasswordReset reset;
    reset.user = "root";
    reset.uid = 0;
    reset.way = ResetWay::Recovery;
    follow_up_reset(reset, *w.services, intent, [&w](const char* action, const char* outcome, std::string detail) {
        AuditRecord row = success_row();
        row.action = action;
        row.outcome = outcome;
        row.detail = std::move(detail);
        return w.audit->record(std::move(row));
    });
}

// Notes and makes a change of root's password and writes its success row.
NotedRotation change_and_record(World& w) {
    const std::string hash = new_hash(w);
    auto intent = note_rotation(*w.services, success_row(), 0, hash, root_hash(w));
    assert_true(intent.ok());
    assert_true(w.shadow->set_password_hash("root", hash, 20500).ok());
    assert_true(w.audit->record(success_row(), intent->id).ok());
    return std::move(*intent);
}

// recoveryd stopped after /etc/shadow changed and before the audit row:
// the change is audited at the next start, as the login that made it, and
// what follows a recovery is done then: the owner's notice, pam_faillock's
// tally, the notify hook (left to the caller, which serves).
void a_change_cut_off_before_its_audit_row_is_audited_at_start(void** state) {
    auto& w = *static_cast<World*>(*state);
    const std::string hash = new_hash(w);
    auto intent = note_rotation(*w.services, success_row(), 0, hash, root_hash(w));
    assert_true(intent.ok());
    assert_true(w.shadow->set_password_hash("root", hash, 20500).ok());
    intent->lock.close();  // recoveryd stopped: the audit row never came
    assert_false(has_notice(w, 0));
    std::vector<PasswordReset> made;
    const auto rows = settle(w, 1, &made);
    assert_int_equal(rows.size(), 3);
    assert_string_equal(rows[1].record.action.c_str(), "faillock.reset");
    assert_string_equal(rows[2].record.action.c_str(), "notice.add");
    assert_string_equal(rows[2].record.outcome.c_str(), "ok");
    assert_string_equal(rows[2].record.actor.c_str(), "pam:login");
    assert_string_equal(rows[2].record.detail.c_str(), "shown at the next login; done by the next start of recoveryd");
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

// The history keeps root's replaced hash (RememberLast 5); notes a change
// that will remember it, and returns that hash.
std::string note_with_history(World& w, const std::string& hash, NotedRotation& noted) {
    w.policy.password.remember_last = 5;
    const auto policy = w.apply_policy();
    const std::string replaced(std::string_view(w.shadow->find("root")->password_hash));
    auto intent = note_rotation(*w.services, success_row(), 0, hash, replaced,
                                RotationFollowUp{{}, {}, replaced_hash_to_remember(policy->password, replaced)});
    assert_true(intent.ok());
    noted = std::move(*intent);
    return replaced;
}

std::vector<std::string> history_of_root(World& w) {
    auto history = w.store->password_history("root", 0, 10);
    assert_true(history.ok());
    std::vector<std::string> out;
    for (const Secret& hash : *history)
        out.emplace_back(hash.view());
    return out;
}

// recoveryd stopped between the rewrite and the history: the start
// remembers the replaced hash, once even when the writer did already.
void a_change_cut_off_before_its_row_is_remembered_in_the_history(void** state) {
    auto& w = *static_cast<World*>(*state);
    for (const bool writer_remembered : {false, true}) {
        const std::string hash = new_hash(w);
        NotedRotation intent;
        const std::string replaced = note_with_history(w, hash, intent);
        assert_true(w.shadow->set_password_hash("root", hash, 20500).ok());
        const std::size_t before = history_of_root(w).size();
        if (writer_remembered)
            assert_true(remember_replaced_password(*w.store, w.policy.password, "root", 0, replaced, 1).ok());
        intent.lock.close();  // recoveryd stopped
        (void)settle(w, 1);
        const auto history = history_of_root(w);
        assert_int_equal(history.size(), before + 1);
        assert_string_equal(history.front().c_str(), replaced.c_str());
        assert_int_equal(intents_left(w), 0);
    }
}

bool store_holds(World& w, const std::string& text) {
    return read_file(w.dir / "recoveryd.db").find(text) != std::string::npos ||
           read_file(w.dir / "recoveryd.db-wal").find(text) != std::string::npos;
}

// The replaced hash an intent keeps is in the store only while the intent
// is: not in the file nor its WAL once the intent is dropped, settled as
// not made, or ended by the owner's notice (when the history is not kept).
void an_intents_replaced_hash_leaves_the_store_with_it(void** state) {
    auto& w = *static_cast<World*>(*state);
    NotedRotation dropped;
    std::string replaced = note_with_history(w, new_hash(w), dropped);
    assert_true(store_holds(w, replaced));
    drop_rotation(*w.services, dropped);
    dropped.lock.close();
    assert_false(store_holds(w, replaced));

    NotedRotation not_made;
    replaced = note_with_history(w, new_hash(w), not_made);
    not_made.lock.close();  // stopped before the rewrite
    assert_true(store_holds(w, replaced));
    assert_int_equal(settle(w, 1).size(), 1);
    assert_false(store_holds(w, replaced));

    NotedRotation ended;
    const std::string hash = new_hash(w);
    replaced = note_with_history(w, hash, ended);
    assert_true(w.shadow->set_password_hash("root", hash, 20500).ok());
    assert_true(w.audit->record(success_row(), ended.id).ok());
    assert_true(store_holds(w, replaced));
    follow_up(w, ended.id);
    ended.lock.close();
    assert_false(store_holds(w, replaced));
}

// recoveryd stopped after the intent and before the rewrite: audited as a
// change that was not made.
void a_change_cut_off_before_the_rewrite_is_audited_as_not_made(void** state) {
    auto& w = *static_cast<World*>(*state);
    const std::string before = read_file(w.shadow_path());
    assert_true(note_rotation(*w.services, success_row(), 0, new_hash(w), root_hash(w)).ok());  // and stopped
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

// recoveryd stopped around the rewrite, and before the next start the
// password changed again (passwd, chpasswd): /etc/shadow holds neither the
// new hash nor the replaced one. Whether recoveryd's change came first is
// unknown; the owner is told, and nothing a made change grants is done.
void a_change_overtaken_by_another_is_audited_as_unknown_and_told(void** state) {
    auto& w = *static_cast<World*>(*state);
    fail_earlier_as_root(w);
    auto intent = note_rotation(*w.services, success_row(), 0, new_hash(w), root_hash(w));
    assert_true(intent.ok());
    intent->lock.close();  // stopped
    const auto other = w.hasher->hash(Secret("another password, set by passwd"), "");
    assert_true(w.shadow->set_password_hash("root", other->view(), 20501).ok());
    SettledRotations settled = *settle_interrupted_rotations(*w.services);
    assert_int_equal(settled.count, 1);
    assert_true(settled.made.empty());
    assert_int_equal(settled.maybe_made.size(), 1);
    assert_string_equal(settled.maybe_made[0].user.c_str(), "root");
    const auto rows = audit(w);
    assert_int_equal(rows.size(), 2);
    assert_string_equal(rows[0].record.action.c_str(), "password.rotate");
    assert_string_equal(rows[0].record.outcome.c_str(), "error");
    assert_true(rows[0].record.detail.find("unknown") != std::string::npos);
    assert_string_equal(rows[1].record.action.c_str(), "notice.add");
    assert_string_equal(rows[1].record.outcome.c_str(), "ok");
    assert_int_equal(notices_of_root(w), 1);
    assert_string_equal(count_rows(w, "failed_checks", "key = 'root'").c_str(), "1");
    assert_int_equal(intents_left(w), 0);

    // An intent noted before schema 011 has no digest of the replaced hash:
    // as before, anything but the new hash reads as not made.
    intent = note_rotation(*w.services, success_row(), 0, new_hash(w), root_hash(w));
    intent->lock.close();
    run_sql(w, "UPDATE rotation_intents SET replaced_hash_digest = x''");
    assert_true(w.shadow->set_password_hash("root", new_hash(w), 20502).ok());
    settled = *settle_interrupted_rotations(*w.services);
    assert_true(settled.made.empty() && settled.maybe_made.empty());
    assert_true(audit(w).back().record.detail.find("interrupted") != std::string::npos);
}

// The success row marks its intent recorded in the same transaction, once;
// the owner's notice ends it. A row that names no intent, or one recorded
// already, is not written at all.
void the_success_row_records_its_intent_and_the_notice_ends_it(void** state) {
    auto& w = *static_cast<World*>(*state);
    NotedRotation intent = change_and_record(w);
    auto intents = w.store->rotation_intents();
    assert_true(intents.ok() && intents->size() == 1 && intents->front().recorded);
    const std::size_t rows = audit(w).size();
    assert_false(w.audit->record(success_row(), intent.id).ok());
    assert_false(w.audit->record(success_row(), intent.id + 1).ok());
    assert_int_equal(audit(w).size(), rows);

    follow_up(w, intent.id);
    intent.lock.close();
    assert_int_equal(intents_left(w), 0);
    assert_true(settle(w, 0).empty());
    assert_int_equal(notices_of_root(w), 1);
}

// recoveryd stopped after the success row, before the notice: the next
// start does what follows, and does not audit the change again.
void a_change_cut_off_after_its_audit_row_is_followed_up_at_start(void** state) {
    auto& w = *static_cast<World*>(*state);
    NotedRotation intent = change_and_record(w);
    intent.lock.close();  // recoveryd stopped
    std::vector<PasswordReset> made;
    const auto rows = settle(w, 1, &made);
    assert_int_equal(rows.size(), 2);
    assert_string_equal(rows[0].record.action.c_str(), "faillock.reset");
    assert_string_equal(rows[1].record.action.c_str(), "notice.add");
    assert_string_equal(rows[1].record.outcome.c_str(), "ok");
    assert_int_equal(made.size(), 1);
    assert_string_equal(made[0].user.c_str(), "root");
    assert_int_equal(intents_left(w), 0);
    assert_true(settle(w, 0).empty());
    assert_int_equal(notices_of_root(w), 1);
}

// A notice that cannot be stored ends the intent all the same, or every
// start would repeat the follow-ups; the failure is audited.
void a_notice_that_cannot_be_stored_still_ends_the_intent(void** state) {
    auto& w = *static_cast<World*>(*state);
    NotedRotation intent = change_and_record(w);
    run_sql(w, "CREATE TRIGGER no_notice BEFORE INSERT ON owner_notices BEGIN SELECT RAISE(ABORT, 'full'); END");
    follow_up(w, intent.id);
    intent.lock.close();
    assert_int_equal(intents_left(w), 0);
    assert_string_equal(audit(w).back().record.action.c_str(), "notice.add");
    assert_string_equal(audit(w).back().record.outcome.c_str(), "error");
    assert_true(settle(w, 0).empty());
}

// A rewrite that failed drops its intent: nothing to audit twice.
void a_dropped_intent_is_not_settled(void** state) {
    auto& w = *static_cast<World*>(*state);
    auto intent = note_rotation(*w.services, success_row(), 0, new_hash(w), root_hash(w));
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
    auto intent = note_rotation(*w.services, success_row(), 0, hash, root_hash(w));
    assert_true(intent.ok());
    auto busy = settle_interrupted_rotations(*w.services);
    assert_false(busy.ok());
    assert_int_equal(static_cast<int>(busy.error().code), static_cast<int>(ErrorCode::Unavailable));
    assert_int_equal(intents_left(w), 1);
    assert_true(w.shadow->set_password_hash("root", hash, 20500).ok());
    assert_true(w.audit->record(success_row(), intent->id).ok());
    // Recorded, its follow-ups still to come: still the writer's.
    assert_int_equal(static_cast<int>(settle_interrupted_rotations(*w.services).error().code),
                     static_cast<int>(ErrorCode::Unavailable));
    follow_up(w, intent->id);
    intent->lock.close();
    assert_true(settle(w, 0).empty());
}

}  // namespace

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(a_change_cut_off_before_its_audit_row_is_audited_at_start, set_up, tear_down),
        cmocka_unit_test_setup_teardown(a_change_cut_off_before_the_rewrite_is_audited_as_not_made, set_up,
                                        tear_down),
        cmocka_unit_test_setup_teardown(a_change_overtaken_by_another_is_audited_as_unknown_and_told, set_up,
                                        tear_down),
        cmocka_unit_test_setup_teardown(the_success_row_records_its_intent_and_the_notice_ends_it, set_up,
                                        tear_down),
        cmocka_unit_test_setup_teardown(a_change_cut_off_after_its_audit_row_is_followed_up_at_start, set_up,
                                        tear_down),
        cmocka_unit_test_setup_teardown(a_notice_that_cannot_be_stored_still_ends_the_intent, set_up, tear_down),
        cmocka_unit_test_setup_teardown(a_dropped_intent_is_not_settled, set_up, tear_down),
        cmocka_unit_test_setup_teardown(a_change_cut_off_before_its_row_is_remembered_in_the_history, set_up,
                                        tear_down),
        cmocka_unit_test_setup_teardown(an_intents_replaced_hash_leaves_the_store_with_it, set_up, tear_down),
        cmocka_unit_test_setup_teardown(a_start_leaves_the_intent_of_a_rewrite_in_progress, set_up, tear_down),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
