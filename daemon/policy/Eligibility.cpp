#include "daemon/policy/Eligibility.h"

#include <algorithm>

namespace recoveryd {

bool may_recover(const Policy& policy, const UserRecord& user) {
    if (!policy.enabled)
        return false;
    if (user.uid == 0) {
        if (!policy.allow_root)
            return false;
    } else if (user.uid < policy.min_uid) {
        return false;
    }
    if (policy.allow_groups.empty())
        return true;
    return std::any_of(user.groups.begin(), user.groups.end(), [&](const std::string& group) {
        return std::find(policy.allow_groups.begin(), policy.allow_groups.end(), group) !=
               policy.allow_groups.end();
    });
}

}  // namespace recoveryd
