#pragma once
// Where a recovery was asked from, as the PAM module reported it. Validated
// by the bus layer; written to the audit log and used for the caps on open
// flows (per invoking user, tty and remote host) and the rate limits' source.

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

    // The user on whose behalf the login runs: the audit login uid when the
    // kernel has one (it survives su and sudo), else the application's real
    // uid. Unknown for root: root programs (login, sshd) serve everyone.
    std::int64_t invoking_user() const {
        const std::int64_t uid = login_uid != kUnknownUid ? login_uid : app_uid;
        return uid > 0 ? uid : kUnknownUid;
    }
};

// Where identity checks are counted from (the rate limits' source): the
// remote host when the login has one; else the local user who runs it (su,
// sudo: however many terminals they open); else its terminal; else its PAM
// service. "rhost:HOST", "uid:N", "tty:TTY" or "service:NAME".
inline std::string attempt_source(const FlowContext& context) {
    if (!context.rhost.empty())
        return "rhost:" + context.rhost;
    if (const std::int64_t user = context.invoking_user(); user != FlowContext::kUnknownUid)
        return "uid:" + std::to_string(user);
    if (!context.tty.empty())
        return "tty:" + context.tty;
    return "service:" + context.service;
}

}  // namespace recoveryd
