#pragma once
// Reads the policy: the compiled-in policy/recoveryd.conf first (every
// default), then the admin's file, then drop-ins in lexical order; later
// values win. A bad file is refused with "file:line: what to fix".

#include <filesystem>
#include <string>

#include "common/Result.h"
#include "daemon/policy/Policy.h"

namespace recoveryd {

struct PolicyPaths {
    std::filesystem::path config_file = "/etc/recoveryd/recoveryd.conf";
    std::filesystem::path dropin_dir = "/etc/recoveryd/recoveryd.conf.d";
};

Result<Policy> load_policy(const PolicyPaths& paths = {});

// The effective policy in the file format, for `recoveryd --check-policy`.
std::string describe_policy(const Policy& policy);

}  // namespace recoveryd
