#include "daemon/admin/Administrators.h"

#include <algorithm>

#include "daemon/users/UserDatabase.h"

namespace recoveryd {

std::string Administrator::actor() const { return "uid:" + std::to_string(uid) + " (" + name + ")"; }

Result<Administrator> identify_administrator(uid_t caller, const Policy& policy) {
    const auto denied = make_error(ErrorCode::AccessDenied,
                                   "permission denied: only root and members of the recovery policy's "
                                   "administrator groups ([Admin] Groups) may do this");
    if (caller == 0)
        return Administrator{0, "root"};
    if (policy.admin.groups.empty())
        return denied;
    const auto user = find_user_by_uid(caller);
    if (!user)
        return user.error().code == ErrorCode::NotFound ? denied : user.error();
    const bool member = std::any_of(user->groups.begin(), user->groups.end(), [&](const std::string& group) {
        return std::find(policy.admin.groups.begin(), policy.admin.groups.end(), group) != policy.admin.groups.end();
    });
    if (!member)
        return denied;
    return Administrator{caller, user->name};
}

}  // namespace recoveryd
