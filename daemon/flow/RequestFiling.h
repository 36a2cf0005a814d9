#pragma once
// A request for help filed at the login prompt, run on a worker. Every
// name gets the same reply at the same pace: a request is filed for an
// unknown or excluded name too (the administrator sees that it names no
// recoverable account), and the per-name cap counts requests by name, so
// nothing about the account leaks to the person at the prompt.

#include <string>

#include "daemon/flow/FlowJobContext.h"
#include "daemon/flow/FlowReply.h"

namespace recoveryd {

FlowOutcome file_help_request(const FlowJobContext& job, const std::string& contact, const std::string& reason);

}  // namespace recoveryd
