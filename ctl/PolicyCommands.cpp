#include "ctl/PolicyCommands.h"

#include <algorithm>
#include <cstdio>
#include <unistd.h>

#include "ctl/DaemonClient.h"
#include "ctl/ExitCode.h"
#include "daemon/users/UserDatabase.h"

namespace recoveryd::ctl {
namespace {

// A bad policy file is a failure to fix, not a bad command line: 1, not 2.
int report_bad_policy(const Error& error) {
    std::fprintf(stderr, "recoveryctl: %s\n", error.message.c_str());
    return kExitFailure;
}

// The daemon's rule for its Admin interface (daemon/admin/Administrators.cpp),
// with the same user lookup: root, or a member (primary or supplementary) of
// a group the policy names. recoveryctl links the user database but not the
// daemon's admin library, which drags in the store and the shadow writer.
Result<void> check_administrator(uid_t caller, const Policy& policy) {
    const auto denied = make_error(ErrorCode::AccessDenied,
                                   "permission denied: only root and members of the recovery policy's "
                                   "administrator groups ([Admin] Groups) may do this");
    if (caller == 0)
        return {};
    if (policy.admin.groups.empty())
        return denied;
    const auto user = find_user_by_uid(caller);
    if (!user)
        return user.error().code == ErrorCode::NotFound ? denied : user.error();
    const auto& admin_groups = policy.admin.groups;
    const bool member = std::any_of(user->groups.begin(), user->groups.end(), [&](const std::string& group) {
        return std::find(admin_groups.begin(), admin_groups.end(), group) != admin_groups.end();
    });
    if (!member)
        return denied;
    return {};
}

}  // namespace

// The files are read first: a file that does not load is reported to anyone
// who can read it (as `recoveryd --check-policy` would), since without a
// policy there are no administrator groups to judge the caller by.
int run_policy_check(const PolicyPaths& paths) {
    auto policy = load_policy(paths);
    if (!policy)
        return report_bad_policy(policy.error());
    // The real uid: recoveryctl is not set-uid, so it is who ran it.
    if (auto allowed = check_administrator(getuid(), *policy); !allowed)
        return report_error(allowed.error());
    std::fputs(describe_policy(*policy).c_str(), stdout);
    return kExitOk;
}

int run_reload() {
    auto client = DaemonClient::connect();
    if (!client)
        return report_error(client.error());
    auto reloaded = client->reload_policy();
    if (!reloaded)
        return reloaded.error().code == ErrorCode::InvalidArgument ? report_bad_policy(reloaded.error())
                                                                   : report_error(reloaded.error());
    std::printf("recoveryd reloaded its policy.\n");
    return kExitOk;
}

}  // namespace recoveryd::ctl
