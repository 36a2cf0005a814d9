#pragma once
// The effective recovery policy. Its defaults live in policy/recoveryd.conf
// (compiled in), never in C++: see PolicyLoader.

#include <chrono>
#include <cstddef>
#include <string>
#include <sys/types.h>
#include <vector>

#include "daemon/policy/AttemptLimits.h"

namespace recoveryd {

enum class AfterReset { SignInAgain, Continue };

// Caps on open flows (daemon/flow/FlowQuota).
struct FlowLimits {
    std::size_t max_open_flows = 0;
    std::size_t max_per_user = 0;
    std::size_t max_per_tty = 0;
    std::size_t max_per_remote_host = 0;
};

// The administrator path (issue 8): who administers, and how long its
// requests and codes live.
struct AdminPolicy {
    std::vector<std::string> groups;  // empty: root only
    std::chrono::seconds approval_code_lifetime{0};
    std::chrono::seconds request_lifetime{0};
    std::size_t max_open_requests_per_user = 0;
    std::size_t max_open_requests_per_source = 0;
    std::size_t max_open_requests = 0;
    std::string notify_hook;  // absolute path; empty: none
    std::chrono::seconds notify_hook_timeout{0};
};

// What every new password set through recoveryd must satisfy
// (daemon/password/PasswordRules.h). Lengths count characters (UTF-8 code
// points), not bytes.
struct PasswordPolicy {
    std::size_t min_length = 0;
    std::size_t max_length = 0;
    bool check_blocklist = false;   // libpwquality: its dictionary and pwquality.conf
    std::size_t remember_last = 0;  // refuse the account's last N passwords; 0: no history
};

// The daemon itself: it exits after this long with nothing to do, and the
// bus starts it again on the next call; 0: never.
struct DaemonPolicy {
    std::chrono::seconds idle_exit{0};
};

struct Policy {
    bool enabled = false;
    // Where recovery may start (daemon/policy/Offering): the PAM services
    // that may offer it (empty: all) and whether logins from a remote host
    // (PAM_RHOST set) may.
    std::vector<std::string> services;
    bool allow_remote = false;
    std::vector<std::string> allow_groups;  // empty: any local user
    bool allow_root = false;
    uid_t min_uid = 0;
    std::chrono::seconds flow_timeout{0};
    AfterReset after_reset = AfterReset::SignInAgain;
    FlowLimits limits;
    AttemptLimits attempt_limits;  // failed identity checks
    AdminPolicy admin;
    PasswordPolicy password;
    DaemonPolicy daemon;
};

}  // namespace recoveryd
