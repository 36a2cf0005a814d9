#include "pam_module/Conversation.h"

#include <cstdlib>
#include <cstring>
#include <string>

namespace recoveryd::pam {
namespace {

// Frees an application's response array, wiping what it held.
void free_responses(struct pam_response* responses) {
    if (responses == nullptr)
        return;
    if (responses->resp != nullptr) {
        wipe_memory(responses->resp, std::strlen(responses->resp));
        std::free(responses->resp);
    }
    std::free(responses);
}

Result<struct pam_response*> converse(pam_handle_t* handle, MessageStyle style, std::string_view text) {
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
    struct pam_response* responses = nullptr;
    const int r = conv->conv(1, messages, &responses, conv->appdata_ptr);
    if (r != PAM_SUCCESS) {
        free_responses(responses);
        return make_error(ErrorCode::Unavailable, "the conversation failed");
    }
    return responses;
}

}  // namespace

Result<Secret> Conversation::ask(MessageStyle style, std::string_view text) {
    auto responses = converse(handle_, style, text);
    if (!responses)
        return responses.error();
    struct pam_response* response = *responses;
    Result<Secret> answer = make_error(ErrorCode::InvalidArgument, "no answer");
    if (response != nullptr && response->resp != nullptr) {
        const std::size_t length = strnlen(response->resp, kMaxAnswerBytes + 1);
        if (length <= kMaxAnswerBytes)
            answer = Secret(std::string_view(response->resp, length));
        else
            answer = make_error(ErrorCode::InvalidArgument, "answer too long");
    }
    free_responses(response);
    return answer;
}

Result<void> Conversation::tell(MessageStyle style, std::string_view text) {
    auto responses = converse(handle_, style, text);
    if (!responses)
        return responses.error();
    free_responses(*responses);
    return {};
}

}  // namespace recoveryd::pam
