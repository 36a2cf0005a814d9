#pragma once
// The values carried by Flow.Next, shared by the daemon (which decides) and
// the PAM module (which renders). Documented in dbus/io.recoveryd.Recovery1.xml.

#include <cstddef>
#include <cstdint>

namespace recoveryd {

// What the module does after rendering a reply's messages.
enum class FlowState : std::uint32_t {
    Continue = 0,         // answer the prompts and call Next again
    Succeeded = 1,        // identity proven: the login may proceed
    Failed = 2,           // stop; the messages said why
    PasswordChanged = 3,  // password rotated; the person signs in again with it
};

// Same numbers as PAM's msg_style, so the module passes them through.
enum class MessageStyle : std::uint32_t {
    PromptEchoOff = 1,
    PromptEchoOn = 2,
    ErrorMsg = 3,
    TextInfo = 4,
};

inline bool is_prompt(MessageStyle style) {
    return style == MessageStyle::PromptEchoOff || style == MessageStyle::PromptEchoOn;
}

inline bool is_known_state(std::uint32_t s) { return s <= 3; }
inline bool is_known_style(std::uint32_t s) { return s >= 1 && s <= 4; }

// Caps on what crosses the bus, checked on both sides.
inline constexpr std::size_t kMaxAnswerBytes = 512;
inline constexpr std::size_t kMaxAnswers = 8;
inline constexpr std::size_t kMaxMessages = 16;
inline constexpr std::size_t kMaxMessageBytes = 4096;

}  // namespace recoveryd
