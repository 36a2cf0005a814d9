// Prints the effective policy with no admin file and no drop-ins: every key
// the policy loader knows, with its default (describe_policy), for the man
// page test (check_man_pages.py) to compare with recoveryd.conf(5).
#include <cstdio>

#include "daemon/policy/PolicyLoader.h"

int main() {
    const recoveryd::PolicyPaths nowhere{"/nonexistent/recoveryd.conf", "/nonexistent/recoveryd.conf.d"};
    auto policy = recoveryd::load_policy(nowhere);
    if (!policy) {
        std::fprintf(stderr, "print_policy: %s\n", policy.error().message.c_str());
        return 1;
    }
    std::fputs(recoveryd::describe_policy(*policy).c_str(), stdout);
    return 0;
}
