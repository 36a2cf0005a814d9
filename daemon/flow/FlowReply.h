#pragma once
// What one Flow.Next call answers: a state and the messages to render; and
// the work a step may need first, which can block and so runs on a worker.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "common/FlowProtocol.h"
#include "daemon/resets/PasswordReset.h"

namespace recoveryd {

struct FlowMessage {
    MessageStyle style;
    std::string text;
};

struct FlowReply {
    FlowState state = FlowState::Continue;
    std::vector<FlowMessage> messages;
    // Answers a secret (right or wrong): the bus layer delivers it a fixed
    // time after the answer arrived, so that timing tells nothing
    // (DESIGN.md invariant 7).
    bool verdict = false;

    std::size_t prompt_count() const;
};

// Where the conversation stands: the answer the flow waits for.
enum class FlowStep {
    Start,
    AwaitMethodChoice,  // the menu (daemon/flow/MethodMenu)
    AwaitRecoveryCode,
    AwaitApprovalCode,
    AwaitContact,  // a request for help: how to reach the person...
    AwaitReason,   // ...and what happened
    AwaitNewPassword,
    Finished,
};

// Who the person proved to be: the account, and the request for help whose
// approval code they used (completed once the new password is set).
struct IdentityProof {
    std::int64_t account_uid = -1;
    std::string request_id;
};

// A request for help a step filed: the bus layer announces it
// (Manager.RequestFiled, the policy's notify hook).
struct FiledRequest {
    std::string id;  // canonical, "K7Q4MZ"
    std::string user;
};

// What a step's blocking work found: the reply, and where the flow goes next.
struct FlowOutcome {
    FlowStep next = FlowStep::Finished;
    FlowReply reply;
    std::optional<IdentityProof> proof;  // set by an identity check that succeeded
    std::optional<FiledRequest> filed;
    std::optional<PasswordReset> reset{};  // set once a new password is written: the bus layer announces it
};

// Work a step hands to a worker thread. It holds copies of what it needs
// and never touches the Flow; Flow::complete applies its outcome on the loop.
struct FlowJob {
    // Rotations go to the one shadow-writer thread: rewrites stay serialized.
    enum class Lane { General, ShadowWriter };
    Lane lane = Lane::General;
    std::function<FlowOutcome()> work;
};

// A Next call leads to a reply now, or to a job first.
using FlowAction = std::variant<FlowReply, FlowJob>;

}  // namespace recoveryd
