#pragma once
// The shadow file as text: finding a user's line and replacing its password
// fields while every other byte stays exactly as it was.

#include <string>
#include <string_view>

#include "common/Result.h"

namespace recoveryd {

struct ShadowEntry {
    std::string name;
    std::string password_hash;
};

// A user name or hash that could break the file's structure is refused.
Result<void> validate_shadow_field(std::string_view what, std::string_view value);

Result<ShadowEntry> find_shadow_entry(std::string_view text, std::string_view user);

// The whole file with the user's field 2 (hash) and field 3 (last change,
// days since the epoch) replaced. NotFound when the user has no line;
// Corrupt when it has several, or one too short to hold those fields.
Result<std::string> replace_password_fields(std::string_view text, std::string_view user,
                                            std::string_view new_hash, long days_since_epoch);

}  // namespace recoveryd
