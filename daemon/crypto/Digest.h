#pragma once
// BLAKE2b-256 digests (libsodium) over a list of parts.

#include <array>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string_view>

#include "common/Result.h"

namespace recoveryd {

using Digest = std::array<std::uint8_t, 32>;

// Initialises libsodium; safe to call any number of times.
Result<void> init_crypto();

// Constant-time comparison.
bool digests_equal(const Digest& a, const Digest& b);

// BLAKE2b-256 over the parts, each prefixed with its length so ("ab", "c")
// and ("a", "bc") differ; keyed when key is given. Pass a label as the first
// part to keep different uses apart.
Digest hash_parts(std::initializer_list<std::string_view> parts, const unsigned char* key = nullptr,
                  std::size_t key_size = 0);

}  // namespace recoveryd
