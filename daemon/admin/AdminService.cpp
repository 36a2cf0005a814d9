#include "daemon/admin/AdminService.h"

#include "daemon/audit/AuditLog.h"
#include "daemon/store/Store.h"

namespace recoveryd {

Result<std::size_t> AdminService::forget_user(uid_t administrator, const std::string& user) {
    AuditRecord entry{};
    entry.actor = "uid:" + std::to_string(administrator);
    entry.target_user = user;
    entry.action = "methods.forget";
    const auto removed = services_.store.forget_user(user);
    entry.outcome = removed ? "ok" : "error";
    entry.detail = removed ? std::to_string(*removed) + " enrollment(s) removed" : removed.error().message;
    if (auto logged = services_.audit.record(std::move(entry)); !logged && removed)
        return logged.error();
    return removed;
}

}  // namespace recoveryd
