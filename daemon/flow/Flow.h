#pragma once
// One recovery conversation: the state machine behind a Flow object. It
// knows nothing of the bus or of threads: the bus layer authorizes the
// caller and validates the answers' encoding; a step whose work may block
// hands out a FlowJob, and its outcome comes back through complete().
// A Flow is touched only by the event loop.
//
// The conversation: a menu of identity checks (daemon/flow/MethodMenu);
// then a recovery code, an administrator's approval code, or a request for
// help (contact, reason); after a check succeeds, the new password twice.
// Every name gets the same questions in the same order, whether or not the
// account exists, has enrolled anything, or may recover, so the transcript
// reveals nothing until a code is accepted (DESIGN.md invariant 7).

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/Result.h"
#include "common/Secret.h"
#include "daemon/Services.h"
#include "daemon/flow/FlowContext.h"
#include "daemon/flow/FlowJobContext.h"
#include "daemon/flow/FlowReply.h"
#include "daemon/policy/Policy.h"

namespace recoveryd {

class Flow {
public:
    // The flow keeps `policy` (a snapshot) for its whole life: a reload
    // never changes a conversation half-way.
    Flow(Services& services, std::shared_ptr<const Policy> policy, std::string user, FlowContext context);

    // The first call takes no answers; every later call exactly one answer per
    // prompt of the previous reply (InvalidArgument otherwise, and nothing
    // changes). Unavailable while a job from the previous call is out.
    Result<FlowAction> next(std::vector<Secret> answers);

    // Applies the outcome of the job next() handed out; returns the reply.
    FlowReply complete(FlowOutcome outcome);

    bool finished() const { return step_ == FlowStep::Finished; }
    const std::string& user() const { return user_; }
    const FlowContext& context() const { return context_; }
    const Policy& policy() const { return *policy_; }

    // What a job for this flow may use.
    FlowJobContext job_context() const;

private:
    Result<FlowAction> answer(std::vector<Secret> answers);
    FlowReply ask(FlowStep step, std::vector<FlowMessage> preface = {});
    FlowAction ask_again(std::string problem);
    FlowAction choose_method(const Secret& choice);
    FlowAction take_contact(const Secret& contact);
    FlowAction take_reason(const Secret& reason);
    FlowJob check_recovery_code(Secret typed);
    FlowJob check_approval_code(Secret typed);
    FlowJob set_new_password(Secret first, const Secret& second);
    FlowJob job(FlowJob::Lane lane, std::function<FlowOutcome()> work);

    Services& services_;
    std::shared_ptr<const Policy> policy_;
    std::string user_;
    FlowContext context_;
    FlowStep step_ = FlowStep::Start;
    std::size_t expected_answers_ = 0;
    unsigned attempts_ = 0;  // bad answers at the current step
    std::string contact_;    // of a request for help, until its reason comes
    IdentityProof proof_;    // once an identity check succeeded
    bool job_out_ = false;
};

}  // namespace recoveryd
