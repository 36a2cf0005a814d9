#pragma once
// Where a recovery was asked from, as the PAM module reported it. Validated
// by the bus layer; only ever written to the audit log.

#include <string>

namespace recoveryd {

struct FlowContext {
    std::string service;  // PAM service, e.g. "login", "sshd"
    std::string tty;
    std::string rhost;
    std::string ruser;
    std::string locale;
};

}  // namespace recoveryd
