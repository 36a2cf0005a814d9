#include "ctl/PolicyCommands.h"

#include <cstdio>
#include <unistd.h>

#include "ctl/DaemonClient.h"
#include "ctl/ExitCode.h"
#include "daemon/admin/Administrators.h"

namespace recoveryd::ctl {
namespace {

// A bad policy file is a failure to fix, not a bad command line: 1, not 2.
int report_bad_policy(const Error& error) {
    std::fprintf(stderr, "recoveryctl: %s\n", error.message.c_str());
    return kExitFailure;
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
    if (auto allowed = identify_administrator(getuid(), *policy); !allowed)
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
