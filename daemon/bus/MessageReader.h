#pragma once
// Reads and validates the arguments of incoming calls. Everything that
// leaves here has passed the checks of common/Validation.h and the caps of
// common/FlowProtocol.h; anything else is an InvalidArgument error.

#include <string>
#include <vector>
#include <systemd/sd-bus.h>

#include "common/Result.h"
#include "common/Secret.h"
#include "daemon/flow/FlowContext.h"

namespace recoveryd {

Result<std::string> read_user_name(sd_bus_message* message);
Result<FlowContext> read_flow_context(sd_bus_message* message);
// Marks the message sensitive, so sd-bus wipes its buffer when freeing it.
Result<std::vector<Secret>> read_answers(sd_bus_message* message);
Result<Secret> read_secret(sd_bus_message* message, const char* field);

}  // namespace recoveryd
