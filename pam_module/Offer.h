#pragma once
// The offer shown after a failed password. It is an echo-off prompt: people
// who just mistyped their password often type it again here, so what is
// typed is never shown, compared with "yes" only, wiped, and never logged
// or sent anywhere.

#include <string_view>

namespace recoveryd::pam {

inline constexpr std::string_view kOffer =
    "Can't access your account? Type 'yes' to recover it, or press Enter to try again. ";

// "yes" in any case, with surrounding white space.
bool is_yes(std::string_view answer);

}  // namespace recoveryd::pam
