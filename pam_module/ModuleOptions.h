#pragma once
// The module's arguments in the PAM stack line: `debug`, `timeout_ms=N`,
// `next_timeout_ms=N`.

#include <cstdint>
#include <security/pam_modules.h>

namespace recoveryd::pam {

struct ModuleOptions {
    bool debug = false;
    // Bound on the whole of MayOffer, StartFlow and Cancel (connect, handshake,
    // call, reply, the check of its sender): when the bus or the daemon is
    // absent or hung the login goes on within this time.
    std::uint64_t timeout_ms = 1500;
    // The same for Flow.Next, which may hash a password and wait for the
    // password database's lock (lckpwdf waits up to 15 s).
    std::uint64_t next_timeout_ms = 25000;
};

// Unknown or malformed arguments are reported through `warn` and ignored.
ModuleOptions parse_module_options(int argc, const char** argv, void (*warn)(const char* argument, void* context),
                                   void* context);

// The same, for an entry point: unknown or malformed arguments go to syslog.
ModuleOptions read_module_options(pam_handle_t* handle, int argc, const char** argv);

}  // namespace recoveryd::pam
