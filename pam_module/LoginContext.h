#pragma once
// What the module tells the daemon about the login in StartFlow's context:
// the PAM items, the application's real uid and its audit login uid. The
// daemon uses them for its caps (per invoking user, tty, remote host) and
// its audit log.

#include <cstdint>
#include <security/pam_modules.h>
#include <string_view>

#include "pam_module/DaemonClient.h"

namespace recoveryd::pam {

FlowContext login_context(pam_handle_t* handle);

// The contents of /proc/self/loginuid: a decimal uint32. Anything else
// (empty, junk, out of range) reads as kUnsetLoginUid.
std::uint32_t parse_loginuid(std::string_view text);

// kUnsetLoginUid when the file cannot be read (no audit support).
std::uint32_t read_loginuid(const char* path = "/proc/self/loginuid");

}  // namespace recoveryd::pam
