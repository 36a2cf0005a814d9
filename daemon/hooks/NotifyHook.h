#pragma once
// The policy's [Admin] NotifyHook: a program the administrator names, run as
// root to tell administrators that something happened (a request for help
// filed at a login prompt). Called on a dedicated worker: it blocks for as
// long as the hook runs, up to its time limit. What a hook gets and must not
// assume: docs/decisions/notify-hook.md.

#include <chrono>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "common/Result.h"
#include "daemon/process/ChildProcess.h"

namespace recoveryd {

// What happened, as the hook sees it: every field becomes an environment variable.
struct HookEvent {
    std::string kind;  // "request-filed" -> RECOVERYD_EVENT (and the hook's one argument); [a-z0-9-]
    std::vector<std::pair<std::string, std::string>> fields;  // {"REQUEST_ID","K7Q-4MZ"} -> RECOVERYD_REQUEST_ID=K7Q-4MZ
};

// Whether `path` may be run as the hook: absolute, a regular file, executable,
// owned by root and not writable by group or others, and every directory
// above it owned by root and not writable by group or others (as sudo and
// OpenSSH judge a safe path). Symbolic links are followed, and the
// directories holding each link are held to the same rule. The message says
// what is wrong and how to fix it.
Result<void> check_hook_path(const std::filesystem::path& path);

// Runs the hook once: check_hook_path again (the file may have changed since
// the policy was read), then run_process with the arguments {kind} and the
// environment PATH=/usr/sbin:/usr/bin:/sbin:/bin, LANG=C.UTF-8,
// RECOVERYD_EVENT=kind, RECOVERYD_<NAME>=value for each field (names
// [A-Z0-9_] only, refused otherwise), within `timeout`. An Error when the
// hook could not be run; a ProcessExit otherwise (the caller audits failures).
Result<ProcessExit> run_notify_hook(const std::filesystem::path& hook, std::chrono::milliseconds timeout,
                                    const HookEvent& event);

}  // namespace recoveryd
