#include "pam_module/Conversation.h"

#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>

namespace recoveryd::pam {
namespace {

// Owns an application's response array (one entry: we send one message at
// a time) and wipes what it held when freeing it, on every path.
struct ResponsesFree {
    void operator()(struct pam_response* responses) const {
        if (responses->resp != nullptr) {
            wipe_memory(responses->resp, response_length(responses->resp));
            std::free(responses->resp);
        }
        std::free(responses);
    }
};
using Responses = std::unique_ptr<struct pam_response, ResponsesFree>;

Result<Responses> converse(pam_handle_t* handle, MessageStyle style, std::string_view text) {
    const void* item = nullptr;
    if (pam_get_item(handle, PAM_CONV, &item) != PAM_SUCCESS || item == nullptr)
        return make_error(ErrorCode::Unavailable, "the application has no conversation function");
    const auto* conv = static_cast<const struct pam_conv*>(item);
    if (conv->conv == nullptr)
        return make_error(ErrorCode::Unavailable, "the application has no conversation function");

    const std::string copy(text);  // NUL-terminated
    struct pam_message message {};
    message.msg_style = static_cast<int>(style);
    message.msg = copy.c_str();
    const struct pam_message* messages[] = {&message};
    struct pam_response* raw = nullptr;
    const int r = conv->conv(1, messages, &raw, conv->appdata_ptr);
    Responses responses(raw);
    if (r != PAM_SUCCESS)
        return make_error(ErrorCode::Unavailable, "the conversation failed");
    return responses;
}

}  // namespace

std::size_t response_length(const char* response) { return strnlen(response, kMaxResponseScanBytes); }

Result<Secret> Conversation::ask(MessageStyle style, std::string_view text) {
    auto responses = converse(handle_, style, text);
    if (!responses)
        return responses.error();
    const struct pam_response* response = responses->get();
    if (response == nullptr || response->resp == nullptr)
        return make_error(ErrorCode::InvalidArgument, "no answer");
    const std::size_t length = strnlen(response->resp, kMaxAnswerBytes + 1);
    if (length > kMaxAnswerBytes)
        return make_error(ErrorCode::InvalidArgument, "answer too long");
    return Secret(std::string_view(response->resp, length));
}

Result<void> Conversation::tell(MessageStyle style, std::string_view text) {
    auto responses = converse(handle_, style, text);
    if (!responses)
        return responses.error();
    return {};
}

}  // namespace recoveryd::pam
