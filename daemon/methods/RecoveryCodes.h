#pragma once
// One-time recovery codes: made at enrollment, shown once, stored only as
// keyed hashes. 80 random bits each, written as 16 Crockford base32
// characters in groups of four ("7KQ2-M9XD-4RTA-0BHC") so a person can read
// them back without confusing 0/O or 1/I/L.

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "common/Result.h"
#include "common/Secret.h"
#include "daemon/crypto/SecretKey.h"

namespace recoveryd {

inline constexpr std::size_t kRecoveryCodesPerEnrollment = 10;
inline constexpr std::size_t kRecoveryCodeCharacters = 16;  // 80 bits

std::vector<Secret> generate_recovery_codes();

// What a person typed -> the canonical 16 characters: case, spaces and
// hyphens ignored; O read as 0, I and L as 1. InvalidArgument when it cannot
// be a code; the message never repeats what was typed.
Result<Secret> normalize_recovery_code(std::string_view typed);

// What the store keeps. Bound to the account (name and uid; -1 when the name
// has none), so one account's hash says nothing about another's. An empty
// code hashes too (same work for every answer).
Digest hash_recovery_code(const SecretKey& key, std::string_view user, std::int64_t uid, const Secret& normalized);

}  // namespace recoveryd
