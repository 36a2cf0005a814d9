#include "ctl/PolicyCommands.h"

#include <cstdio>

#include "ctl/DaemonClient.h"
#include "ctl/ExitCode.h"

namespace recoveryd::ctl {
namespace {

// A bad policy file is a failure to fix, not a bad command line: 1, not 2.
int report_bad_policy(const Error& error) {
    std::fprintf(stderr, "recoveryctl: %s\n", error.message.c_str());
    return kExitFailure;
}

}  // namespace

int run_policy_check(const PolicyPaths& paths) {
    auto policy = load_policy(paths);
    if (!policy)
        return report_bad_policy(policy.error());
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
