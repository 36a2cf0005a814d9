#pragma once
// Codes people read aloud and type back: Crockford's base32 alphabet (no
// I, L, O or U), in groups joined by '-', read back ignoring case, spaces
// and hyphens, with O read as 0 and I and L as 1.

#include <cstddef>
#include <string_view>

#include "common/Result.h"
#include "common/Secret.h"

namespace recoveryd::crockford {

// `characters` random characters (5 bits each), a '-' after every `group`.
Secret random_code(std::size_t characters, std::size_t group);

// What a person typed -> exactly `characters` canonical characters, or
// InvalidArgument with `what` ("that is not a recovery code"): the message
// never repeats what was typed.
Result<Secret> normalize(std::string_view typed, std::size_t characters, const char* what);

}  // namespace recoveryd::crockford
