#pragma once
// Checks for every string that crosses a trust boundary (bus, terminal,
// policy file). Each returns an Error whose message names the field.

#include <cstddef>
#include <string_view>

#include "common/Result.h"

namespace recoveryd {

inline constexpr std::size_t kMaxUserNameBytes = 32;  // as shadow-utils' default

bool is_valid_utf8(std::string_view text);

// Portable user names, as useradd accepts by default: [a-z_][a-z0-9_-]*[$]?
Result<void> validate_user_name(std::string_view name);

// UTF-8, at most max_bytes, no control characters (C0 such as newline and
// NUL, DEL, C1) and no bidirectional controls or marks: text that may reach
// a log or a terminal.
Result<void> validate_text(std::string_view field, std::string_view text, std::size_t max_bytes);

// The same for text of several lines (what recoveryd tells the person at
// the prompt): newlines allowed, every other control refused, so nothing
// sent to a terminal can move its cursor, retitle it or rewrite what it
// showed.
Result<void> validate_lines(std::string_view field, std::string_view text, std::size_t max_bytes);

}  // namespace recoveryd
