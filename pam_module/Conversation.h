#pragma once
// The application's conversation function, one message per call (as
// fprintd does): some applications render only the first of several.

#include <security/pam_modules.h>
#include <string_view>

#include "common/FlowProtocol.h"
#include "common/Result.h"
#include "common/Secret.h"

namespace recoveryd::pam {

class Conversation {
public:
    explicit Conversation(pam_handle_t* handle) : handle_(handle) {}

    // Shows a prompt and returns the answer. Fails when the application
    // cannot prompt, returns no answer, or an answer longer than
    // kMaxAnswerBytes.
    Result<Secret> ask(MessageStyle style, std::string_view text);

    // Shows an error or informational message.
    Result<void> tell(MessageStyle style, std::string_view text);

private:
    pam_handle_t* handle_;
};

}  // namespace recoveryd::pam
