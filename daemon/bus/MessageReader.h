#pragma once
// Reads and validates the arguments of incoming calls. Everything that
// leaves here has passed the checks of common/Validation.h and the caps of
// common/FlowProtocol.h; anything else is an InvalidArgument error.

#include <functional>
#include <string>
#include <vector>
#include <systemd/sd-bus.h>

#include "common/Result.h"
#include "common/Secret.h"
#include "daemon/flow/FlowContext.h"

namespace recoveryd {

Result<std::string> read_user_name(sd_bus_message* message);
// A string that may reach a log or a terminal (validate_text).
Result<std::string> read_text(sd_bus_message* message, const char* field, std::size_t max_bytes, bool allow_empty);
// An a{sv}: each key once, its value read by `read_value` (which refuses
// keys it does not know). `what` names the argument in errors.
Result<void> read_dictionary(sd_bus_message* message, const char* what,
                             const std::function<Result<void>(const char* key)>& read_value);
Result<FlowContext> read_flow_context(sd_bus_message* message);
// Marks the message sensitive, so sd-bus wipes its buffer when freeing it.
Result<std::vector<Secret>> read_answers(sd_bus_message* message);
Result<Secret> read_secret(sd_bus_message* message, const char* field);

// A bus filter (sd_bus_add_filter), before any object sees the message: marks
// the calls that carry what a person typed (Flow.Next, Account's
// EnrollRecoveryCodes) sensitive, so sd-bus wipes them when it frees them,
// also when no handler reads them (a flow that has expired, a refusal).
int mark_typed_secrets_sensitive(sd_bus_message* message, void* userdata, sd_bus_error* error);

}  // namespace recoveryd
