// AdminService over real parts (store, key, shadow file in a temp dir; this
// machine's user database): who may administer, approvals, resets with a
// forced change, reloads that keep the old policy on a bad file, and the
// audit rows naming the administrator.

#include "tests/unit/DaemonFixture.h"

#include <cstring>
#include <filesystem>
#include <functional>
#include <memory>
#include <sys/stat.h>
#include <vector>

#include "common/TimeText.h"
#include "daemon/admin/AdminService.h"
#include "daemon/methods/ApprovalCodes.h"
#include "daemon/resets/RotationIntents.h"
#include "daemon/store/Database.h"
#include "tests/unit/test_store_fixture.h"

using namespace recoveryd;
using namespace recoveryd::test;

namespace {

constexpr uid_t kNobody = 65534;
const Administrator kRoot{0, "root"};

Result<Policy> g_loaded = Policy{};
Result<Policy> load_for_test() { return g_loaded; }

AdminService service(World& w) { return AdminService(*w.services, load_for_test); }

std::size_t audit_rows(World& w, const std::string& action, const std::string& actor = {}) {
    auto rows = w.store->list_audit(1000);
    assert_true(rows.ok());
    std::size_t count = 0;
    for (const auto& row : *rows)
        count += row.record.action == action && (actor.empty() || row.record.actor == actor);
    return count;
}

std::string file_request(World& w, const char* user, std::int64_t uid) {
    HelpRequest request;
    request.user = user;
    request.uid = uid;
    request.account = uid >= 0 ? "recoverable" : "no such account";
    request.contact = "+1 555 0100";
    request.reason = "forgot";
    const auto filing =
        w.store->file_request(request, read_clock(), RequestCaps{3, 5, 200}, 3600LL * 1000000, generate_request_id);
    assert_true(filing.ok() && filing->filed());
    return filing->id;
}

std::string shadow_field(World& w, int field) {
    std::string line = read_file(w.shadow_path());
    line = line.substr(0, line.find('\n'));
    for (int i = 0; i < field; ++i)
        line = line.substr(line.find(':') + 1);
    return line.substr(0, line.find(':'));
}

void only_root_and_admin_group_members_administer(void** state) {
    auto& w = *static_cast<World*>(*state);
    AdminService admin = service(w);
    assert_true(admin.admit(0).ok());
    auto refused = admin.admit(kNobody);
    assert_false(refused.ok());
    assert_int_equal(static_cast<int>(refused.error().code), static_cast<int>(ErrorCode::AccessDenied));
    assert_non_null(strstr(refused.error().message.c_str(), "permission denied"));
    assert_int_equal(audit_rows(w, "admin.authorize", "uid:65534"), 1);
    assert_false(admin.admit(kNobody).ok());
    assert_int_equal(audit_rows(w, "admin.authorize", "uid:65534"), 1);  // coalesced

    // Judged at every call: a policy naming nobody's group admits it at once...
    w.policy.admin.groups = {"nogroup"};
    w.apply_policy();
    auto admitted = admin.admit(kNobody);
    assert_true(admitted.ok());
    assert_string_equal(admitted->actor().c_str(), "uid:65534 (nobody)");
    // ...and one without it no longer does.
    w.policy.admin.groups = {"sudo"};
    w.apply_policy();
    assert_false(admin.admit(kNobody).ok());
}

void approval_gives_a_one_time_code_for_that_request(void** state) {
    auto& w = *static_cast<World*>(*state);
    AdminService admin = service(w);
    const std::string id = file_request(w, "root", 0);
    // Typed as a person reads it back: lower case, with the hyphen.
    std::string typed = format_request_id(id);
    for (char& c : typed)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    auto approval = admin.approve(kRoot, typed, "called back on the number in HR's file");
    assert_true(approval.ok());
    assert_int_equal(approval->code.view().size(), 14);  // XXXX-XXXX-XXXX: 60 bits
    const auto now = read_clock().wall_us;
    assert_true(approval->expires_at > now + 3590LL * 1000000 && approval->expires_at <= now + 3600LL * 1000000);
    auto normalized = normalize_approval_code(approval->code.view());
    assert_true(normalized.ok());
    const Digest digest = hash_approval_code(*w.key, "root", 0, *normalized);
    assert_true(w.store->consume_approval_code(attempt_by("root", read_clock()), 0, digest)->consumed);
    assert_false(w.store->consume_approval_code(attempt_by("root", read_clock()), 0, digest)->consumed);
    assert_int_equal(audit_rows(w, "request.approve", "uid:0 (root)"), 1);
}

void approval_refused_for_accounts_that_may_not_recover(void** state) {
    auto& w = *static_cast<World*>(*state);
    AdminService admin = service(w);
    const std::string unknown = file_request(w, "no-such-user-xyz", -1);
    assert_int_equal(static_cast<int>(admin.approve(kRoot, unknown, "").error().code),
                     static_cast<int>(ErrorCode::AccessDenied));
    const std::string root = file_request(w, "root", 0);
    std::string shadow = read_file(w.shadow_path());
    write_file(w.shadow_path(), shadow.insert(5, "!"));  // usermod -L
    auto locked = admin.approve(kRoot, root, "");
    assert_false(locked.ok());
    assert_non_null(strstr(locked.error().message.c_str(), "locked"));
    assert_string_equal(w.store->find_request(root, read_clock())->state.c_str(), "open");
    assert_int_equal(audit_rows(w, "request.approve"), 2);  // both refusals are on record
}

void reset_sets_a_temporary_password_that_must_be_changed(void** state) {
    auto& w = *static_cast<World*>(*state);
    AdminService admin = service(w);
    auto reset = admin.reset_password(kRoot, "root");
    assert_true(reset.ok());
    const Secret& password = reset->password;
    assert_true(password.view().size() >= 23);
    auto entry = w.shadow->find("root");
    assert_true(entry.ok());
    assert_true(PasswordHasher::verify(password, entry->password_hash));
    assert_false(PasswordHasher::verify(Secret(kOldPassword), entry->password_hash));
    assert_string_equal(shadow_field(w, 2).c_str(), "0");  // last change: day 0
    assert_int_equal(audit_rows(w, "password.reset", "uid:0 (root)"), 1);
    // The replaced password joins the history (the flow refuses it then).
    auto history = w.store->password_history("root", 0, 10);
    assert_true(history.ok());
    assert_int_equal(history->size(), 1);
    assert_true(PasswordHasher::verify(Secret(kOldPassword), (*history)[0].view()));
}

// /etc cannot be synced after the rename: the temporary password is in
// place, so the administrator gets it, and the failure is on record.
void a_reset_the_disk_may_lose_still_gives_the_password(void** state) {
    auto& w = *static_cast<World*>(*state);
    ShadowFile::Options options;
    options.path = w.shadow_path();
    options.lock_path.clear();
    options.fail_step = [](std::string_view step) { return step == "shadow:fsync-dir"; };
    *w.shadow = ShadowFile(options);
    AdminService admin = service(w);
    auto reset = admin.reset_password(kRoot, "root");
    assert_true(reset.ok() && reset->reset);
    assert_true(PasswordHasher::verify(reset->password, w.shadow->find("root")->password_hash));
    assert_int_equal(audit_rows(w, "password.sync", "uid:0 (root)"), 1);
    assert_int_equal(audit_rows(w, "password.reset", "uid:0 (root)"), 1);
}

// The owner sees at their next login that an administrator reset their
// password; the reset goes to the bus layer for the notify hook. The
// pam_faillock tally is left to `unlock`.
void reset_leaves_the_owner_a_notice(void** state) {
    auto& w = *static_cast<World*>(*state);
    AdminService admin = service(w);
    {
        std::ofstream faillock(w.services->faillock.program);
        faillock << "#!/bin/sh\ntouch '" << (w.dir / "faillock.ran").string() << "'\n";
    }
    assert_int_equal(chmod(w.services->faillock.program.c_str(), 0700), 0);
    auto reset = admin.reset_password(kRoot, "root");
    assert_true(reset.ok());
    assert_true(reset->reset->way == ResetWay::Administrator);
    assert_string_equal(reset->reset->user.c_str(), "root");
    assert_string_equal(reset->reset->admin.c_str(), "root");
    assert_string_equal(reset->reset->actor.c_str(), "uid:0 (root)");
    assert_true(std::filesystem::exists(w.dir / "notices" / "0"));
    const auto take = w.store->take_owner_notices("root", 0);
    assert_true(take.ok());
    assert_int_equal(take->notices.size(), 1);
    assert_true(take->notices.front().way == ResetWay::Administrator);
    assert_string_equal(take->notices.front().admin.c_str(), "root");
    assert_int_equal(audit_rows(w, "notice.add", "uid:0 (root)"), 1);
    assert_false(std::filesystem::exists(w.dir / "faillock.ran"));
    // A refused reset leaves no notice.
    w.policy.allow_root = false;
    w.apply_policy();
    assert_false(admin.reset_password(kRoot, "root").ok());
    assert_false(*w.store->has_owner_notices(0));
}

void reset_refused_for_a_locked_or_excluded_account(void** state) {
    auto& w = *static_cast<World*>(*state);
    AdminService admin = service(w);
    w.policy.allow_root = false;
    w.apply_policy();
    const std::string before = read_file(w.shadow_path());
    assert_int_equal(static_cast<int>(admin.reset_password(kRoot, "root").error().code),
                     static_cast<int>(ErrorCode::AccessDenied));
    w.policy.allow_root = true;
    w.apply_policy();
    std::string locked = before;
    write_file(w.shadow_path(), locked.insert(5, "!"));
    assert_false(admin.reset_password(kRoot, "root").ok());
    assert_string_equal(read_file(w.shadow_path()).c_str(), locked.c_str());
    assert_string_equal(count_rows(w, "rotation_intents").c_str(), "0");
}

// An account recoveryd must not recover, as shadow and policy make it.
struct Unrecoverable {
    const char* kind;
    const char* why;  // the account check's phrase, in the refusal
    // Root's new shadow line from its hash, and the policy change; empty: none.
    std::function<std::string(const std::string& hash)> root_line;
    std::function<void(Policy&)> policy;
};

std::string root_line(const std::string& hash, const std::string& expire = "") {
    return "root:" + hash + ":20000:0:99999:7::" + expire + ":\n";
}

std::vector<Unrecoverable> unrecoverable_kinds() {
    const std::string yesterday = std::to_string(days_since_epoch() - 1);
    return {
        {"disabled (*)", "account disabled", [](const std::string&) { return root_line("*"); }, nullptr},
        {"disabled (empty hash)", "account disabled", [](const std::string&) { return root_line(""); }, nullptr},
        {"disabled (!)", "account locked", [](const std::string&) { return root_line("!"); }, nullptr},
        {"locked (!hash)", "account locked", [](const std::string& hash) { return root_line("!" + hash); }, nullptr},
        {"expired (usermod -e 1)", "account expired",
         [](const std::string& hash) { return root_line(hash, "1"); }, nullptr},
        {"expired (yesterday)", "account expired",
         [yesterday](const std::string& hash) { return root_line(hash, yesterday); }, nullptr},
        {"excluded (AllowRoot = no)", "not recoverable by policy", nullptr,
         [](Policy& p) { p.allow_root = false; }},
        {"excluded (AllowGroups)", "not recoverable by policy", nullptr,
         [](Policy& p) { p.allow_groups = {"no-such-group-xyz"}; }},
        {"excluded (Enabled = no)", "not recoverable by policy", nullptr, [](Policy& p) { p.enabled = false; }},
    };
}

// Puts World `w` into the state `kind` describes; returns the shadow file.
std::string make_unrecoverable(World& w, const Unrecoverable& kind) {
    if (kind.root_line) {
        auto entry = w.shadow->find("root");
        assert_true(entry.ok());
        const std::string hash(entry->password_hash.begin(), entry->password_hash.end());
        write_file(w.shadow_path(), kind.root_line(hash) + "nobody:*:20000:0:99999:7:::\n");
    }
    if (kind.policy) {
        kind.policy(w.policy);
        w.apply_policy();
    }
    return read_file(w.shadow_path());
}

void expect_denied(const Error& error, const Unrecoverable& kind, const char* action) {
    if (error.code != ErrorCode::AccessDenied || error.message.find(kind.why) == std::string::npos)
        fail_msg("%s for %s: got \"%s\" (code %d), expected AccessDenied naming \"%s\"", action, kind.kind,
                 error.message.c_str(), static_cast<int>(error.code), kind.why);
}

// recoveryd stops after /etc/shadow changed and before the reset's audit
// row (here the row cannot be written): the administrator still gets the
// password, and the next start audits the reset and leaves the owner's
// notice naming the administrator, once.
void a_reset_whose_audit_row_failed_is_audited_at_the_next_start(void** state) {
    auto& w = *static_cast<World*>(*state);
    AdminService admin = service(w);
    run_sql(w, "CREATE TRIGGER no_row BEFORE INSERT ON audit WHEN NEW.action = 'password.reset' "
               "BEGIN SELECT RAISE(ABORT, 'stopped'); END");
    auto reset = admin.reset_password(kRoot, "root");
    assert_true(reset.ok());
    assert_true(PasswordHasher::verify(reset->password, w.shadow->find("root")->password_hash));
    assert_false(reset->reset.has_value());  // nothing announced now: the start does it
    assert_int_equal(audit_rows(w, "password.reset"), 0);
    assert_int_equal(audit_rows(w, "notice.add"), 0);
    run_sql(w, "DROP TRIGGER no_row");
    auto settled = settle_interrupted_rotations(*w.services);
    assert_true(settled.ok());
    assert_int_equal(settled->count, 1);
    assert_int_equal(settled->made.size(), 1);
    assert_true(settled->made[0].way == ResetWay::Administrator);
    assert_string_equal(settled->made[0].admin.c_str(), "root");
    assert_int_equal(audit_rows(w, "password.reset", "uid:0 (root)"), 1);
    assert_int_equal(audit_rows(w, "notice.add", "uid:0 (root)"), 1);
    assert_int_equal(audit_rows(w, "faillock.reset"), 0);  // an administrator's reset leaves the tally
    assert_string_equal(count_rows(w, "rotation_intents").c_str(), "0");
}

// DESIGN.md invariant 12 on the admin path: neither an approval code nor a
// temporary password for an account that could not recover by itself.
void approve_and_reset_refused_for_unrecoverable_accounts(void** state) {
    for (const Unrecoverable& kind : unrecoverable_kinds()) {
        World& w = *static_cast<World*>(*state);
        AdminService admin = service(w);
        const std::string id = file_request(w, "root", 0);
        const std::string shadow = make_unrecoverable(w, kind);

        auto approval = admin.approve(kRoot, id, "checked their badge");
        assert_false(approval.ok());
        expect_denied(approval.error(), kind, "approve");
        assert_string_equal(count_rows(w, "approval_codes").c_str(), "0");
        assert_string_equal(w.store->find_request(id, read_clock())->state.c_str(), "open");

        auto reset = admin.reset_password(kRoot, "root");
        assert_false(reset.ok());
        expect_denied(reset.error(), kind, "reset-password");
        assert_string_equal(read_file(w.shadow_path()).c_str(), shadow.c_str());
        assert_string_equal(count_rows(w, "password_history").c_str(), "0");
        assert_false(*w.store->has_owner_notices(0));
        assert_int_equal(audit_rows(w, "request.approve"), 1);  // the refusals are on record
        assert_int_equal(audit_rows(w, "password.reset"), 1);

        // A fresh world for the next kind.
        assert_int_equal(tear_down(state), 0);
        assert_int_equal(set_up(state), 0);
    }
}

void a_bad_policy_file_keeps_the_policy_in_force(void** state) {
    auto& w = *static_cast<World*>(*state);
    AdminService admin = service(w);
    g_loaded = make_error(ErrorCode::InvalidArgument, "/etc/recoveryd/recoveryd.conf:3: MinUid = x: expected a whole number");
    auto refused = admin.reload_policy(kRoot);
    assert_false(refused.ok());
    assert_non_null(strstr(refused.error().message.c_str(), "recoveryd.conf:3"));
    assert_int_equal(w.services->policy.get()->password.min_length, 15);
    Policy stricter = w.policy;
    stricter.password.min_length = 20;
    g_loaded = stricter;
    assert_true(admin.reload_policy(kRoot).ok());
    assert_int_equal(w.services->policy.get()->password.min_length, 20);
    assert_int_equal(audit_rows(w, "policy.reload", "uid:0 (root)"), 2);
}

void audit_lists_by_user(void** state) {
    auto& w = *static_cast<World*>(*state);
    AdminService admin = service(w);
    (void)admin.reset_password(kRoot, "root");
    (void)admin.reset_password(kRoot, "nobody");  // refused: no local password here; on record too
    auto rows = admin.list_audit(kRoot, AuditFilter{"nobody", 0, 100});
    assert_true(rows.ok());
    assert_int_equal(rows->size(), 1);
    assert_string_equal(rows->front().record.action.c_str(), "password.reset");
    assert_string_equal(rows->front().record.outcome.c_str(), "denied");
}

}  // namespace

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(only_root_and_admin_group_members_administer, set_up, tear_down),
        cmocka_unit_test_setup_teardown(approval_gives_a_one_time_code_for_that_request, set_up, tear_down),
        cmocka_unit_test_setup_teardown(approval_refused_for_accounts_that_may_not_recover, set_up, tear_down),
        cmocka_unit_test_setup_teardown(reset_sets_a_temporary_password_that_must_be_changed, set_up, tear_down),
        cmocka_unit_test_setup_teardown(a_reset_the_disk_may_lose_still_gives_the_password, set_up, tear_down),
        cmocka_unit_test_setup_teardown(reset_leaves_the_owner_a_notice, set_up, tear_down),
        cmocka_unit_test_setup_teardown(reset_refused_for_a_locked_or_excluded_account, set_up, tear_down),
        cmocka_unit_test_setup_teardown(a_reset_whose_audit_row_failed_is_audited_at_the_next_start, set_up,
                                        tear_down),
        cmocka_unit_test_setup_teardown(approve_and_reset_refused_for_unrecoverable_accounts, set_up, tear_down),
        cmocka_unit_test_setup_teardown(a_bad_policy_file_keeps_the_policy_in_force, set_up, tear_down),
        cmocka_unit_test_setup_teardown(audit_lists_by_user, set_up, tear_down),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
