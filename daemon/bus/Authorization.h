#pragma once
// Who may call what. One function per interface, called first in every
// handler of that interface; handlers never check on their own. The
// sender's credentials come from the bus for this very message (the bus
// daemon's record of the connection, never /proc) and are not cached: a
// sender whose credentials cannot be had is denied.

#include <string>
#include <string_view>
#include <sys/types.h>
#include <systemd/sd-bus.h>

#include "common/Result.h"

namespace recoveryd {

struct Caller {
    uid_t uid;
    std::string unique_name;  // the connection, e.g. ":1.42"
};

// Manager: root only.
Result<Caller> authorize_manager(sd_bus_message* message);
// Flow: root, on any connection: the flow's unguessable path is its
// capability, so a login waiting for a person needs no open connection.
Result<Caller> authorize_flow(sd_bus_message* message);
// Account: any local user, on their own account (the caller's uid).
Result<Caller> authorize_account(sd_bus_message* message);

// Admin: RootOnly methods (ForgetUser) are refused here to anyone but root.
// For the others this gives the caller only: whether the caller
// administers (root, or a member of the policy's [Admin] Groups) depends on
// the user database, which may block, so it is judged on the worker, first
// thing, by AdminService::admit; AdminObject::submit is the one path.
enum class AdminScope { RootOnly, Administrators };
Result<Caller> authorize_admin(sd_bus_message* message, AdminScope scope);

}  // namespace recoveryd
