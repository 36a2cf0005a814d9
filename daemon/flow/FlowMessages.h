#pragma once
// What a person at the login prompt reads, in one place, and the replies
// built from it.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "daemon/flow/FlowReply.h"

namespace recoveryd::texts {

inline constexpr const char* kMenuIntro = "How do you want to prove who you are?";
inline constexpr const char* kBadChoice = "Type the number of one of the choices.";

inline constexpr const char* kCodeIntro =
    "Enter one of the recovery codes you saved when you set up account recovery.";
inline constexpr const char* kCodePrompt = "Recovery code: ";
inline constexpr const char* kCodeRejected = "That recovery code is not valid.";

inline constexpr const char* kApprovalIntro =
    "Enter the code an administrator gave you after confirming who you are.";
inline constexpr const char* kApprovalPrompt = "Administrator's code: ";
inline constexpr const char* kApprovalRejected = "That code is not valid.";

inline constexpr const char* kRequestIntro =
    "An administrator will contact you to confirm who you are before helping. Leave a way to reach you "
    "and say what happened.";
inline constexpr const char* kContactPrompt = "Phone number or e-mail address: ";
inline constexpr const char* kReasonPrompt = "What happened? ";
inline constexpr const char* kRequestAlreadyOpen =
    "A request for help with this account is already open. An administrator will contact you; when they "
    "give you a code, come back here and choose \"I have a code from an administrator\".";

inline constexpr const char* kNewPasswordPrompt = "New password: ";
inline constexpr const char* kRetypePasswordPrompt = "Retype new password: ";
inline constexpr const char* kMismatch = "The passwords do not match.";
inline constexpr const char* kBadCharacters = "The new password may not contain control characters.";
inline constexpr const char* kTooManyAttempts = "Too many attempts. Start again from the login prompt.";
inline constexpr const char* kChangedSignIn = "Your password has been changed. Sign in with your new password.";
inline constexpr const char* kChanged = "Your password has been changed.";
inline constexpr const char* kNotChanged =
    "Your password could not be changed. Try again later, or ask an administrator.";
inline constexpr const char* kTooManyRequests =
    "Too many requests for help are open right now. Try again later, or ask an administrator in person.";
inline constexpr const char* kTryLater = "Account recovery is not available right now. Try again later.";

std::string menu_prompt(std::size_t entries);
std::string code_accepted(std::size_t min_length);
// What is wrong with a contact or reason typed at the prompt.
std::string bad_text(std::string_view field, std::size_t max_characters);
std::string request_filed(std::string_view shown_id);

}  // namespace recoveryd::texts

namespace recoveryd {

// A last reply: the flow is over.
FlowReply final_reply(FlowState state, MessageStyle style, std::string text);
// The two new-password prompts, after `preface`.
FlowReply new_password_request(std::vector<FlowMessage> preface);
// A new password refused at the last try: why, and that the flow is over.
FlowReply last_password_refusal(std::string problem);

}  // namespace recoveryd
