#pragma once
// `recoveryctl status [--json]`: what the caller has enrolled.

#include <string>

#include "ctl/DaemonClient.h"

namespace recoveryd::ctl {

// The two output formats, separate from the bus call so they can be tested.
std::string format_status_text(const AccountStatus& status);
std::string format_status_json(const AccountStatus& status);

int run_status(bool json);

}  // namespace recoveryd::ctl
