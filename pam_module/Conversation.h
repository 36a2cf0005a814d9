#pragma once
// The application's conversation function, one message per call (as
// fprintd does): some applications render only the first of several.

#include <cstddef>
#include <security/pam_modules.h>
#include <string_view>

#include "common/FlowProtocol.h"
#include "common/Result.h"
#include "common/Secret.h"

namespace recoveryd::pam {

// How far the cleanup looks for the end of an application's response before
// wiping it. Answers the module accepts are far shorter (kMaxAnswerBytes);
// the bound keeps a response the application forgot to terminate from
// sending the scan (and the wipe) through the rest of its heap.
inline constexpr std::size_t kMaxResponseScanBytes = 64 * 1024;

// The length the cleanup wipes: up to the NUL, at most kMaxResponseScanBytes.
std::size_t response_length(const char* response);

class Conversation {
public:
    explicit Conversation(pam_handle_t* handle) : handle_(handle) {}

    // Shows a prompt and returns the answer. Fails when the application
    // cannot prompt, returns no answer, or an answer longer than
    // kMaxAnswerBytes. The application's copy is wiped and freed either way.
    Result<Secret> ask(MessageStyle style, std::string_view text);

    // Shows an error or informational message.
    Result<void> tell(MessageStyle style, std::string_view text);

private:
    pam_handle_t* handle_;
};

}  // namespace recoveryd::pam
