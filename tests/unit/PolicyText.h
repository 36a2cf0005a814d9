#pragma once
// Loads a policy from text, as the administrator's file over the shipped
// defaults (no drop-ins): for unit tests of single keys.
#include <fstream>
#include <string>
#include <sys/stat.h>

#include "daemon/policy/PolicyLoader.h"
#include "tests/unit/TestFiles.h"

inline recoveryd::Result<recoveryd::Policy> load_policy_text(const std::string& text) {
    TempDir dir("policy-text");
    recoveryd::PolicyPaths paths;
    paths.config_file = dir / "recoveryd.conf";
    paths.dropin_dir = dir / "recoveryd.conf.d";
    std::ofstream(paths.config_file) << text;
    chmod(paths.config_file.c_str(), 0644);
    return recoveryd::load_policy(paths);
}
