#pragma once
// Where a recovery was asked from, as the PAM module reported it. Validated
// by the bus layer; written to the audit log and used for the caps on open
// flows (per invoking user, tty and remote host).

#include <cstdint>
#include <string>

namespace recoveryd {

struct FlowContext {
    static constexpr std::int64_t kUnknownUid = -1;

    std::string service;  // PAM service, e.g. "login", "sshd"
    std::string tty;
    std::string rhost;
    std::string ruser;
    std::string locale;
    std::int64_t app_uid = kUnknownUid;    // the PAM application's real uid
    std::int64_t login_uid = kUnknownUid;  // its audit login uid
};

}  // namespace recoveryd
