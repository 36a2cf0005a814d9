#pragma once
// One recovery conversation: the state machine behind a Flow object. It
// knows nothing of the bus; the bus layer authorizes the caller, validates
// the answers' encoding and hands them here.
//
// The conversation of this version: a recovery code, then the new password
// twice. Every user name gets the same questions in the same order, whether
// or not the account exists or has codes, so the transcript reveals nothing
// until a code is accepted (DESIGN.md invariant 7).

#include <string>
#include <vector>

#include "common/Result.h"
#include "common/Secret.h"
#include "daemon/Services.h"
#include "daemon/flow/FlowContext.h"
#include "daemon/flow/FlowReply.h"

namespace recoveryd {

class Flow {
public:
    Flow(Services& services, std::string user, FlowContext context);

    // The first call takes no answers; every later call exactly one answer per
    // prompt of the previous reply (InvalidArgument otherwise, and nothing
    // changes). After a reply whose state is not Continue the flow is over.
    Result<FlowReply> next(std::vector<Secret> answers);

    bool finished() const { return step_ == Step::Finished; }
    const std::string& user() const { return user_; }

    // Records that the flow began; when the audit log cannot be written the
    // flow must not go on (fail closed).
    Result<void> record_start();

    // Records how a flow ended without finishing: "flow.cancel",
    // "flow.expire" or "flow.abandon" (the caller left the bus).
    void record_end(const char* action);

private:
    enum class Step { Start, AwaitCode, AwaitNewPassword, Finished };

    FlowReply ask_for_code();
    FlowReply check_code(const Secret& typed);
    FlowReply ask_for_new_password(std::vector<FlowMessage> preface);
    FlowReply set_new_password(const Secret& first, const Secret& second);
    FlowReply finish(FlowState state, MessageStyle style, std::string text);

    Result<void> record(const char* action, const char* outcome, std::string detail = {});

    Services& services_;
    std::string user_;
    FlowContext context_;
    Step step_ = Step::Start;
    std::size_t expected_answers_ = 0;
    unsigned password_attempts_ = 0;
};

}  // namespace recoveryd
