#pragma once
// The module's side of the bus: StartFlow, Next and Cancel, each bounded in
// time. The module trusts nothing it receives until it has checked it.

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "common/FlowProtocol.h"
#include "common/Result.h"
#include "common/SdBus.h"
#include "common/Secret.h"

namespace recoveryd::pam {

struct FlowMessage {
    MessageStyle style;
    std::string text;
};

struct FlowStep {
    FlowState state;
    std::vector<FlowMessage> messages;
};

// Where the login comes from; each value is optional.
using FlowContext = std::vector<std::pair<std::string, std::string>>;

class DaemonClient {
public:
    static Result<DaemonClient> connect(std::uint64_t call_timeout_usec);

    Result<void> start_flow(const std::string& user, const FlowContext& context);
    Result<FlowStep> next(const std::vector<Secret>& answers, std::uint64_t timeout_usec);
    void cancel();  // best effort: the daemon also drops flows on timeout and disconnect

private:
    explicit DaemonClient(BusPtr bus) : bus_(std::move(bus)) {}
    BusPtr bus_;
    std::string flow_path_;
};

}  // namespace recoveryd::pam
