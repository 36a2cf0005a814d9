#pragma once
// What an administrator reads to a person over the phone: the id of their
// request for help, the one-time approval code that answers it, and a
// temporary password. All are Crockford base32 (daemon/methods/Crockford.h).

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/Result.h"
#include "common/Secret.h"
#include "daemon/crypto/SecretKey.h"

namespace recoveryd {

// Request ids: 6 characters (30 bits), shown "K7Q-4MZ". Not secret: an id
// names a request and proves nothing.
inline constexpr std::size_t kRequestIdCharacters = 6;
std::string generate_request_id();  // canonical: "K7Q4MZ"
std::string format_request_id(std::string_view canonical);  // "K7Q-4MZ"
Result<std::string> normalize_request_id(std::string_view typed);

// Approval codes: 12 characters (60 bits), "7KQ2-M9XD-4RTA". Stored only as
// keyed hashes bound to the account (name and uid), like recovery codes.
inline constexpr std::size_t kApprovalCodeCharacters = 12;
Secret generate_approval_code();
Result<Secret> normalize_approval_code(std::string_view typed);
Digest hash_approval_code(const SecretKey& key, std::string_view user, std::int64_t uid, const Secret& normalized);

// Temporary passwords from `recoveryctl reset-password`: lower-case groups of
// five (100 bits in 20 characters), "k7qm4-zr2xp-9wd3c-h8t6b", with more
// groups when the policy's minimum length needs them.
Secret generate_temporary_password(std::size_t min_length);

}  // namespace recoveryd
