#pragma once
// Requests for help filed at a login prompt, as the store keeps them
// (schema/003_admin_requests.sql). Times are microseconds since the epoch.

#include <cstddef>
#include <cstdint>
#include <string>

#include "daemon/crypto/Digest.h"
#include "daemon/store/IdentityAttempt.h"

namespace recoveryd {

// The states of schema/003's CHECK, in the order a request moves through them.
namespace request_state {
inline constexpr const char* kOpen = "open";
inline constexpr const char* kApproved = "approved";
inline constexpr const char* kDenied = "denied";
inline constexpr const char* kCompleted = "completed";
inline constexpr const char* kExpired = "expired";
bool is_known(std::string_view state);
}  // namespace request_state

struct HelpRequest {
    std::string id;       // six Crockford base32 characters
    std::string user;     // as typed at the prompt
    std::int64_t uid = -1;  // the account when filed; -1: none
    std::string account;  // "recoverable", or why not
    std::int64_t filed_at = 0;
    std::int64_t expires_at = 0;
    std::string service, tty, rhost, ruser;
    std::string source;           // where it was filed from (attempt_source); stored, not listed
    std::string contact, reason;  // typed by whoever sat at the prompt
    std::string state = request_state::kOpen;
    std::string decided_by;  // "uid:1001 (helpdesk)"
    std::int64_t decided_at = 0;
    std::string note;
};

// Empty fields match anything.
struct RequestFilter {
    std::string state;
    std::string user;
};

// How many requests may be open (or approved and not yet used) at a time
// ([Admin] in policy/recoveryd.conf). Per name, requests filed over the
// network and at the machine itself count apart, so the network cannot keep
// someone at the console from asking; one source has at most one open
// request per name.
struct RequestCaps {
    std::size_t per_user = 0;
    std::size_t per_source = 0;
    std::size_t total = 0;
};

// What file_request did: filed, or which cap it met first.
struct Filing {
    enum class Refusal { None, AlreadyFiledHere, UserFull, SourceFull, AllFull };
    Refusal refusal = Refusal::None;
    std::string id;  // when filed

    bool filed() const { return refusal == Refusal::None; }
};

// An approval for one request: the code's keyed hash, bound to the account.
struct ApprovalGrant {
    std::string request_id;
    std::string user;
    std::int64_t uid = -1;
    Digest code_hash{};
    std::int64_t lifetime_us = 0;
    std::string decided_by;
    std::string note;
};

// The outcome of one approval-code attempt.
struct ApprovalCheck {
    bool consumed = false;   // this call used the code up
    std::string request_id;  // its request, when consumed
    AttemptVerdict attempt;  // blocked: no code was compared
};

}  // namespace recoveryd
