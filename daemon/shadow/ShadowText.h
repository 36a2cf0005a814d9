#pragma once
// The shadow file as text: finding a user's line and replacing its password
// fields while every other byte stays exactly as it was. The text holds
// every account's hash, so it lives in SensitiveString (wiped when freed).

#include <optional>
#include <string>
#include <string_view>

#include "common/Result.h"
#include "common/Secret.h"

namespace recoveryd {

// One line of shadow(5), with the fields the account checks need. Day
// numbers count days since 1970-01-01; an empty field is nullopt.
struct ShadowEntry {
    std::string name;
    SensitiveString password_hash;        // field 2
    std::optional<long> last_change_day;  // field 3; 0: must change at next login
    std::optional<long> max_days;         // field 5: password valid this long
    std::optional<long> inactive_days;    // field 7: grace after max_days
    std::optional<long> expire_day;       // field 8: account expires that day
    // A numeric field (3 to 8) that is not a day count: the account's state
    // cannot be judged, so it is never treated as usable.
    bool malformed_number = false;
};

// A user name or hash that could break the file's structure is refused.
Result<void> validate_shadow_field(std::string_view what, std::string_view value);

Result<ShadowEntry> find_shadow_entry(std::string_view text, std::string_view user);

// The whole file with the user's field 2 (hash) and field 3 (last change,
// days since the epoch) replaced. NotFound when the user has no line;
// Corrupt when it has several, or one too short to hold those fields.
Result<SensitiveString> replace_password_fields(std::string_view text, std::string_view user,
                                                std::string_view new_hash, long days_since_epoch);

}  // namespace recoveryd
