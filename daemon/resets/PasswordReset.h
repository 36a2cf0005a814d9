#pragma once
// A password reset that has happened: whose, when, how and from where. What
// follows it (the owner's notice, pam_faillock's tally, the notify hook)
// starts from this. Never a secret in any field.

#include <cstdint>
#include <string>

#include "daemon/store/OwnerNotice.h"

namespace recoveryd {

struct PasswordReset {
    std::string user;
    std::int64_t uid = -1;
    std::int64_t at = 0;  // seconds since the epoch
    ResetWay way = ResetWay::Recovery;
    std::string actor{};  // the audit log's: "pam:sshd", "uid:1001 (hank)"
    std::string admin{};  // the administrator's name (way Administrator)
    // Where the recovery was made (way Recovery), as the PAM module said.
    std::string service{}, tty{}, rhost{}, ruser{};
    std::string request_id{};  // the request for help whose approval code was used (canonical), if any
};

// The notice the owner will see.
inline OwnerNotice owner_notice(const PasswordReset& reset) {
    return OwnerNotice{reset.user, reset.uid, reset.at, reset.way, reset.admin, reset.service, reset.tty, reset.rhost};
}

}  // namespace recoveryd
