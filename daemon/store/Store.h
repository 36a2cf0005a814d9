#pragma once
// The daemon's state in SQLite: enrolled methods, recovery-code hashes and
// the audit log. The one place that runs SQL; every statement is prepared.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "common/Result.h"
#include "daemon/crypto/Digest.h"
#include "daemon/store/Database.h"

namespace recoveryd {

struct RecoveryCodeStatus {
    std::uint32_t remaining = 0;
    std::int64_t enrolled_at = 0;  // epoch seconds; 0 when none are enrolled
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
};

struct AuditRow {
    std::int64_t id = 0;
    AuditRecord record;
    Digest prev_hash{};
    Digest hash{};
};

class Store {
public:
    // Opens or creates the database (mode 0600) with the settings of
    // DESIGN.md and brings its schema up to date. A damaged file, or one
    // from a newer recoveryd, is refused (Corrupt) and left untouched.
    static Result<Store> open(const std::filesystem::path& path);

    // Replaces the user's codes with a new set, in one transaction.
    Result<void> replace_recovery_codes(std::string_view user, const std::vector<Digest>& hashes,
                                        std::int64_t now);
    // Deletes the matching code in one transaction; true iff this call
    // consumed it. At most one of any number of concurrent callers wins.
    Result<bool> consume_recovery_code(std::string_view user, const Digest& hash);
    Result<RecoveryCodeStatus> recovery_code_status(std::string_view user);

    Result<void> append_audit(const AuditRecord& record);
    Result<std::vector<AuditRow>> list_audit(std::size_t limit);  // the newest `limit`, oldest first
    // Recomputes the chain; Corrupt naming the first row that does not match.
    Result<void> verify_audit_chain();

private:
    explicit Store(Database db) : db_(std::move(db)) {}
    Database db_;
};

// The chain link: BLAKE2b-256 over the previous hash and every field.
Digest audit_row_hash(const Digest& prev_hash, const AuditRecord& record);

}  // namespace recoveryd
