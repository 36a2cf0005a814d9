#pragma once
// What a logged-in user does to their own account over the Account
// interface. The bus layer has already identified the caller (a uid from
// the bus) and runs these on a worker: each may block on the user database,
// the shadow file, password hashing or the store. Every mutation first
// re-checks the caller's current password, and that check is rate limited
// per uid, since it is a password oracle for anyone logged in.

#include <cstdint>
#include <string>
#include <sys/types.h>
#include <vector>

#include "common/Result.h"
#include "common/Secret.h"
#include "daemon/Services.h"

namespace recoveryd {

struct UserRecord;

struct AccountStatus {
    std::string user;
    std::uint32_t recovery_codes_remaining = 0;
    std::int64_t recovery_codes_enrolled_at = 0;  // epoch seconds, 0 if none
};

class AccountService {
public:
    // Wrong-password denials of one uid within this many seconds share one
    // audit row (the next row says how many there were).
    static constexpr std::int64_t kDenialWindowSeconds = 3600;

    explicit AccountService(Services& services) : services_(services) {}

    Result<AccountStatus> status(uid_t caller);
    // Replaces the caller's recovery codes with a new set, returned once.
    Result<std::vector<Secret>> enroll_recovery_codes(uid_t caller, const Secret& current_password);

    // How long a uid waits before its next password check after `failures`
    // wrong ones in a row: 2, 4, 8... seconds, at most an hour. (The store
    // counts whole seconds: a wait of n seconds lasts more than n - 1.)
    static std::int64_t wait_after(std::uint32_t failures);

private:
    Result<UserRecord> account_of(uid_t caller);
    Result<void> check_current_password(const UserRecord& caller, const Secret& password);
    void record_denial(const UserRecord& caller, const std::string& reason);
    Result<void> record(const UserRecord& caller, const char* action, const char* outcome, std::string detail = {});

    Services& services_;
};

}  // namespace recoveryd
