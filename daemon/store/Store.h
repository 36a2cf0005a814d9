#pragma once
// The daemon's state in SQLite: methods enrolled by accounts, recovery-code
// hashes, the password-check throttle, requests for help and their approval
// codes, and the audit log. The one place that
// runs SQL; every statement is prepared.
//
// Thread safety: every public method holds the store's mutex for its whole
// transaction, so worker threads may share one Store. Callbacks passed in run
// under that mutex and must not call the Store.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/ClockReading.h"
#include "common/Result.h"
#include "common/Secret.h"
#include "daemon/crypto/Digest.h"
#include "daemon/store/HelpRequest.h"
#include "daemon/store/IdentityAttempt.h"
#include "daemon/store/Database.h"
#include "daemon/store/OwnerNotice.h"

namespace recoveryd {

struct RecoveryCodeStatus {
    std::uint32_t remaining = 0;
    std::int64_t enrolled_at = 0;  // epoch seconds; 0 when none are enrolled
};

// The outcome of one recovery-code attempt.
struct CodeCheck {
    bool consumed = false;            // this call used the code up
    std::int64_t enrollment_id = 0;   // the enrollment the code belonged to, when consumed
    std::size_t retired = 0;          // enrollments of the name dropped because their uid differs
    AttemptVerdict attempt;           // blocked: no code was compared
};

// Whether a current-password check may run now.
struct PasswordCheckGate {
    bool allowed = false;
    std::int64_t retry_after = 0;  // seconds to wait, when not allowed
    std::uint32_t failures = 0;    // recorded failures, counting this check when allowed
};

// Whether a denial gets its own audit row or is only counted.
struct DenialWindow {
    bool write_row = false;       // the first denial of a new window
    std::uint32_t coalesced = 0;  // with write_row: denials the previous window only counted
    std::int64_t since = 0;       // with write_row: when that previous window began (0: none)
};

// One decision. Never a secret in any field.
struct AuditRecord {
    std::int64_t time = 0;   // epoch seconds; AuditLog fills it in when 0
    std::string actor;       // who asked: "pam:login", "uid:1000", "recoveryd"
    std::string target_user;
    std::string service, tty, rhost;
    std::string action;      // "flow.start", "code.verify", "password.rotate"...
    std::string outcome;     // "ok", "denied", "failed", "error"
    std::string detail;
    // Who ran the PAM application: PAM_RUSER, its real uid, its audit login
    // uid (-1: unknown).
    std::string ruser;
    std::int64_t app_uid = -1;
    std::int64_t login_uid = -1;
};

// A rewrite of an account's password hash about to happen: `row` is the
// audit row of its success, less outcome and detail; the new hash only as
// a keyed digest (RotationIntents.h).
struct RotationIntent {
    std::int64_t id = 0;  // set by the store
    AuditRecord row;      // time: when noted
    std::int64_t uid = 0;
    Digest new_hash_digest{};
    std::string admin{};       // the administrator's name (action password.reset)
    std::string request_id{};  // canonical; the request whose approval code was used, if any
    bool recorded = false;     // the success row is written; its follow-ups may not all be
    Secret replaced_hash{};    // the hash it replaces, when the password history keeps it
    std::optional<Digest> replaced_hash_digest{};  // keyed; none for intents noted before schema 011
};

// Which audit rows to list; the newest `limit` that match, oldest first.
struct AuditFilter {
    std::string user;        // empty: any
    std::int64_t since = 0;  // epoch seconds; 0: any
    std::size_t limit = 100;
};

// How a row's chain hash was computed: v1 rows (schema 001) predate ruser,
// app_uid and login_uid, which they leave at their defaults.
enum class AuditFormat : std::int64_t { v1 = 1, v2 = 2 };
inline constexpr AuditFormat kCurrentAuditFormat = AuditFormat::v2;

struct AuditRow {
    std::int64_t id = 0;
    AuditRecord record;
    AuditFormat format = kCurrentAuditFormat;
    Digest prev_hash{};
    Digest hash{};
};

// Where an appended row landed: the anchor an outside witness (the journal)
// keeps, since the chain alone cannot show rows removed from its end.
struct AuditAnchor {
    std::int64_t id = 0;
    Digest hash{};
};

// What a walk of the audit chain found.
struct AuditVerification {
    bool intact = true;
    std::uint64_t rows_checked = 0;  // rows read, the first bad one included
    std::int64_t first_bad_row = 0;  // its id; 0 when intact
    std::string problem;             // "row 17 was changed"...; empty when intact
};

class Store {
public:
    // Opens or creates the database (mode 0600) with the settings of
    // DESIGN.md and brings its schema up to date. A damaged file, or one
    // from a newer recoveryd, is refused (Corrupt) and left untouched.
    static Result<Store> open(const std::filesystem::path& path);
    // Whether the file holds audit rows (every decision writes one). Reads
    // only and makes no file; rows still only in a WAL are not seen.
    static Result<bool> has_history(const std::filesystem::path& path);
    // Closes the database and records how the file looks now (CleanClose.h).
    ~Store();
    Store(Store&&) noexcept = default;
    Store& operator=(Store&&) = delete;

    // Recovery codes. `uid` is the account's uid; -1 when the name has no
    // account (then nothing matches). Checks of a code are identity checks:
    // see "Rate limits" below.

    // One transaction: drops the name's earlier recovery-code enrollment
    // (whatever its uid) and enrolls these hashes; returns the new enrollment id.
    Result<std::int64_t> replace_recovery_codes(std::string_view user, std::int64_t uid,
                                                const std::vector<Digest>& hashes, std::int64_t now);
    // One transaction, the same statements whatever the inputs: counts the
    // attempt (blocked: nothing more), retires the name's enrollments bound
    // to another uid (when uid >= 0), then deletes the matching code. At
    // most one of any number of concurrent callers consumes a code.
    Result<CodeCheck> consume_recovery_code(const IdentityAttempt& attempt, std::int64_t uid, const Digest& hash);
    // Only the enrollment bound to this uid counts.
    Result<RecoveryCodeStatus> recovery_code_status(std::string_view user, std::int64_t uid);
    // Deletes every enrollment of the name (any uid) and its codes; returns
    // how many enrollments.
    Result<std::size_t> forget_user(std::string_view user);

    // Current-password checks. One transaction: allowed when there are no
    // failures, when wait_after(failures) seconds have passed since the last,
    // or when the clock went back before it. An allowed check is recorded as
    // a failure before the caller checks anything; a denied one changes
    // nothing and says how long to wait.
    Result<PasswordCheckGate> begin_password_check(std::int64_t uid, std::int64_t now,
                                                   const std::function<std::int64_t(std::uint32_t failures)>& wait_after);
    Result<void> password_check_succeeded(std::int64_t uid);  // forgets the failures

    // Coalescing of repeated denials: the first denial of a uid in a window
    // of window_seconds gets an audit row; the others are counted and
    // reported with the next window's row. A clock moved back ends a window.
    Result<DenialWindow> note_denial(std::int64_t uid, std::int64_t now, std::int64_t window_seconds);

    // Requests for help (implemented in StoreRequests.cpp). Every call that
    // judges expiry takes a clock reading and first moves the stored clock
    // on (judge_time): requests and approval codes past their time are
    // marked expired or deleted in the same transaction.

    // Files `request` (its id, times and state are set here) unless one of
    // `caps` is met. `new_id` makes ids; one already taken is drawn again.
    Result<Filing> file_request(HelpRequest request, const ClockReading& clock, const RequestCaps& caps,
                                std::int64_t lifetime_us, const std::function<std::string()>& new_id);
    Result<std::vector<HelpRequest>> list_requests(const RequestFilter& filter, const ClockReading& clock);
    Result<HelpRequest> find_request(std::string_view id, const ClockReading& clock);  // NotFound
    // Stores the code's hash (replacing an earlier one of the request) and
    // marks the request approved; returns when the code expires. The request
    // must be open or approved and name grant.user with grant.uid.
    Result<std::int64_t> approve_request(const ApprovalGrant& grant, const ClockReading& clock);
    // Marks an open or approved request denied and deletes its code.
    Result<void> deny_request(std::string_view id, std::string_view decided_by, std::string_view reason,
                              const ClockReading& clock);
    // One transaction, the same statements whatever the inputs: counts the
    // attempt (blocked: nothing more), then deletes the live code with this
    // hash bound to (user, uid) of an approved request. At most one of any
    // number of concurrent callers consumes a code.
    Result<ApprovalCheck> consume_approval_code(const IdentityAttempt& attempt, std::int64_t uid,
                                                const Digest& hash);
    Result<void> complete_request(std::string_view id, const ClockReading& clock);  // approved -> completed; again: ok
    // The time expiry is judged by (microseconds since the epoch): the
    // reading's wall clock, but never earlier than the last judged time, nor
    // (within one boot) than that time plus the boot-time clock's progress.
    // Stores the result.
    Result<std::int64_t> judge_time(const ClockReading& clock);

    // Rate limits on identity checks (StoreAttempts.cpp). Every check of a
    // secret goes through one of the consume_* methods above, which count it
    // before they compare, in the same transaction: so concurrent flows get
    // no more tries than one flow trying in a row. Forgets a name's failures
    // and lockout (not its source's or the total's): after a successful
    // recovery, and for `recoveryctl unlock`.
    Result<void> clear_failed_checks(std::string_view user);

    // Password history (StorePasswordHistory.cpp): crypt(3) hashes of the
    // passwords recoveryd replaced, bound to the account (name and uid) like
    // enrollments. forget_user drops a name's history too.

    // The account's newest `limit` hashes, newest first. Rows of the name
    // bound to another uid never count.
    Result<std::vector<Secret>> password_history(std::string_view user, std::int64_t uid, std::size_t limit);
    // One transaction: drops the name's rows bound to another uid, adds
    // `replaced_hash` (replaced at `now`) unless it is the account's newest
    // row already (a start repeating what a crash may have cut off), then
    // keeps only the account's newest `keep` rows (0: none, and nothing is
    // added).
    Result<void> add_password_history(std::string_view user, std::int64_t uid, std::string_view replaced_hash,
                                      std::int64_t now, std::size_t keep);

    // Owner notices (StoreNotices.cpp), bound to the account: name and uid.

    // Stores a notice for (notice.user, notice.uid), keeping the newest
    // kMaxOwnerNotices of that uid. `settles`: the recorded rotation intent
    // this notice finishes, deleted in the same transaction (nothing is
    // stored when it is not there).
    Result<void> add_owner_notice(const OwnerNotice& notice, std::int64_t settles = 0);
    // One transaction: returns and deletes the notices of (user, uid), and
    // deletes unseen those of the name under another uid or of the uid under
    // another name (a former account). Each notice goes to one caller only,
    // however many take at once. A uid of -1 (no account) takes nothing.
    Result<NoticeTake> take_owner_notices(std::string_view user, std::int64_t uid);
    // Whether a notice waits for this uid, under any name.
    Result<bool> has_owner_notices(std::int64_t uid);
    // The uids a notice waits for.
    Result<std::vector<std::int64_t>> owner_notice_uids();

    // Rotation intents (StoreRotationIntents.cpp, schema/007 to 009): a
    // rewrite of /etc/shadow noted before it happens; the audit row of its
    // success marks it recorded (append_audit), the owner's notice deletes
    // it (add_owner_notice), and so may remove_rotation_intent.
    Result<std::int64_t> add_rotation_intent(const RotationIntent& intent);
    Result<void> remove_rotation_intent(std::int64_t id);
    Result<std::vector<RotationIntent>> rotation_intents();  // oldest first

    // The audit log (implemented in StoreAudit.cpp).
    // A row of the current format; with `settles`, the rotation intent of
    // that id (it must exist, not recorded) is updated in the same
    // transaction: an "ok" row marks it recorded, its follow-ups still to
    // come; any other outcome (the change was not made) deletes it.
    Result<AuditAnchor> append_audit(const AuditRecord& record, std::int64_t settles = 0);
    Result<std::vector<AuditRow>> list_audit(const AuditFilter& filter);
    Result<std::vector<AuditRow>> list_audit(std::size_t limit) { return list_audit(AuditFilter{{}, 0, limit}); }
    // Walks the whole chain in id order, recomputing each row's hash and
    // checking that it links to the row before and that ids run on by one;
    // stops at the first bad row. Reads the rows there are when it starts,
    // on connections of its own, so writers are not held up meanwhile.
    // `threads` walk ranges of ids at once (0: one per core); the answer is
    // the same for any number. An error only when the walk cannot run. Rows
    // removed from the end do not show here.
    Result<AuditVerification> verify_audit_chain(unsigned threads = 0);

private:
    // The stored clock, and the time it judges a reading to be.
    struct ClockRow {
        std::int64_t latest = 0;
        std::string boot_id;
        std::int64_t boot_at = 0;
        std::int64_t judge(const ClockReading& clock) const;
    };
    Result<ClockRow> read_clock_row();
    Result<std::int64_t> judge_time_locked(const ClockReading& clock);  // in the caller's transaction
    Result<std::vector<HelpRequest>> read_requests_at(const ClockReading& clock, const RequestFilter& filter,
                                                      std::string_view id);
    // judge_time_locked, then what has expired by then is marked or deleted.
    Result<std::int64_t> settle_time(const ClockReading& clock);
    // An attempt being checked: counted as failed until it matches.
    struct AttemptTicket {
        AttemptVerdict verdict;
        std::int64_t now = 0;
        std::vector<std::int64_t> counted;  // failed_checks rowids
    };
    // One identity check in one transaction: settles the time, counts the
    // attempt, and unless a lockout holds runs `compare` (true: it matched)
    // under the same lock, then settles the count.
    Result<AttemptVerdict> counted_check(const IdentityAttempt& attempt,
                                         const std::function<Result<bool>(std::int64_t now)>& compare);
    // `ticket.now` is the judged time; the ticket is filled in.
    Result<void> begin_attempt_locked(const IdentityAttempt& attempt, AttemptTicket& ticket);
    Result<void> finish_attempt_locked(const IdentityAttempt& attempt, AttemptTicket& ticket, bool matched);
    Result<void> consume_recovery_code_locked(std::string_view user, std::int64_t uid, const Digest& hash,
                                              CodeCheck& check);
    // In the caller's transaction; true when the intent existed.
    Result<bool> remove_rotation_intent_locked(std::int64_t id);
    Result<bool> mark_rotation_recorded_locked(std::int64_t id);
    Result<void> consume_approval_code_locked(std::string_view user, std::int64_t uid, const Digest& hash,
                                              std::int64_t now, ApprovalCheck& check);
    explicit Store(Database db) : db_(std::move(db)), mutex_(std::make_unique<std::mutex>()) {}
    Database db_;
    std::unique_ptr<std::mutex> mutex_;  // a pointer, so the Store can move
};

// The chain link: BLAKE2b-256 over the previous hash and every field the
// format covers.
Digest audit_row_hash(const Digest& prev_hash, const AuditRecord& record,
                      AuditFormat format = kCurrentAuditFormat);

}  // namespace recoveryd
