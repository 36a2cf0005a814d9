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
// Flow: root, and only the connection that started the flow.
Result<Caller> authorize_flow(sd_bus_message* message, std::string_view flow_owner);
// Account: any local user, on their own account (the caller's uid).
Result<Caller> authorize_account(sd_bus_message* message);

}  // namespace recoveryd
