#pragma once
// What a flow's work on a worker thread may use: the daemon's thread-safe
// components, and copies of everything else (the policy snapshot the flow
// started with, the user name, where the login comes from). Never the Flow.

#include <cstdint>
#include <memory>
#include <string>

#include "common/Result.h"
#include "common/TimeText.h"
#include "daemon/Services.h"
#include "daemon/flow/FlowContext.h"
#include "daemon/policy/Policy.h"
#include "daemon/store/IdentityAttempt.h"
#include "daemon/store/Store.h"

namespace recoveryd {

struct FlowJobContext {
    Services& services;
    std::shared_ptr<const Policy> policy;  // as it was when the flow started
    std::string user;
    FlowContext context;

    // One audit row for this flow; fails closed (the caller decides what a
    // failure to record means for the step). `settles`: AuditLog::record.
    Result<void> record(const char* action, const char* outcome, std::string detail = {},
                        std::int64_t settles = 0) const;
    // That row, not written.
    AuditRecord audit_row(const char* action, const char* outcome, std::string detail = {}) const;

    // An identity check by this flow, now, for the rate limits: the typed
    // name; the remote host, else the terminal, else the service.
    IdentityAttempt identity_attempt() const;
};

}  // namespace recoveryd
