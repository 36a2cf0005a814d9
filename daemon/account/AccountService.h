#pragma once
// What a logged-in user does to their own account over the Account
// interface. The bus layer has already identified the caller; every
// mutation here first re-checks the caller's current password.

#include <cstdint>
#include <string>
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
    explicit AccountService(Services& services) : services_(services) {}

    Result<AccountStatus> status(const UserRecord& caller);
    // Replaces the caller's recovery codes with a new set, returned once.
    Result<std::vector<Secret>> enroll_recovery_codes(const UserRecord& caller, const Secret& current_password);

private:
    Result<void> check_current_password(const UserRecord& caller, const Secret& password);
    Result<void> record(const UserRecord& caller, const char* action, const char* outcome, std::string detail = {});

    Services& services_;
};

}  // namespace recoveryd
