#include "daemon/flow/FlowJobContext.h"

#include "daemon/audit/AuditLog.h"

namespace recoveryd {

Result<void> FlowJobContext::record(const char* action, const char* outcome, std::string detail,
                                    std::int64_t settles) const {
    return services.audit.record(audit_row(action, outcome, std::move(detail)), settles);
}

AuditRecord FlowJobContext::audit_row(const char* action, const char* outcome, std::string detail) const {
    AuditRecord entry{};
    entry.actor = "pam:" + (context.service.empty() ? std::string("unknown") : context.service);
    entry.target_user = user;
    entry.service = context.service;
    entry.tty = context.tty;
    entry.rhost = context.rhost;
    entry.ruser = context.ruser;
    entry.app_uid = context.app_uid;
    entry.login_uid = context.login_uid;
    entry.action = action;
    entry.outcome = outcome;
    entry.detail = std::move(detail);
    return entry;
}

IdentityAttempt FlowJobContext::identity_attempt() const {
    return IdentityAttempt{user, attempt_source(context), policy->attempt_limits, services.clock()};
}

}  // namespace recoveryd
