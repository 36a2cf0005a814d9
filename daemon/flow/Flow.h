#pragma once
// One recovery conversation: the state machine behind a Flow object. It
// knows nothing of the bus or of threads: the bus layer authorizes the
// caller and validates the answers' encoding; a step whose work may block
// hands out a FlowJob, and its outcome comes back through complete().
// A Flow is touched only by the event loop.
//
// The conversation of this version: a recovery code, then the new password
// twice. Every user name gets the same questions in the same order, whether
// or not the account exists, has codes, or may recover, so the transcript
// reveals nothing until a code is accepted (DESIGN.md invariant 7).

#include <cstdint>
#include <string>
#include <vector>

#include "common/Result.h"
#include "common/Secret.h"
#include "daemon/Services.h"
#include "daemon/flow/FlowContext.h"
#include "daemon/flow/FlowJobContext.h"
#include "daemon/flow/FlowReply.h"

namespace recoveryd {

class Flow {
public:
    Flow(Services& services, std::string user, FlowContext context);

    // The first call takes no answers; every later call exactly one answer per
    // prompt of the previous reply (InvalidArgument otherwise, and nothing
    // changes). Unavailable while a job from the previous call is out.
    Result<FlowAction> next(std::vector<Secret> answers);

    // Applies the outcome of the job next() handed out; returns the reply.
    FlowReply complete(FlowOutcome outcome);

    bool finished() const { return step_ == FlowStep::Finished; }
    const std::string& user() const { return user_; }
    const FlowContext& context() const { return context_; }

    // What a job for this flow may use (a snapshot of the policy included).
    FlowJobContext job_context() const;

private:
    FlowReply ask_for_code();
    FlowJob check_code(Secret typed);
    Result<FlowAction> set_new_password(Secret first, const Secret& second);
    FlowReply expect(FlowReply reply);

    Services& services_;
    std::string user_;
    FlowContext context_;
    FlowStep step_ = FlowStep::Start;
    std::size_t expected_answers_ = 0;
    unsigned password_attempts_ = 0;
    std::int64_t account_uid_ = -1;  // the account the accepted code belongs to
    bool job_out_ = false;
};

}  // namespace recoveryd
