#pragma once
// A notice for the owner of an account whose password was reset, kept
// until their next login shows it (schema/006_owner_notices.sql).

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace recoveryd {

// How the password was reset; stored as text.
enum class ResetWay { Recovery, Administrator };

struct OwnerNotice {
    std::string user;
    std::int64_t uid = -1;
    std::int64_t reset_at = 0;  // seconds since the epoch
    ResetWay way = ResetWay::Recovery;
    std::string admin;  // the administrator's name (way Administrator)
    std::string service, tty, rhost;  // where the recovery was made (way Recovery)
};

// What taking an account's notices found.
struct NoticeTake {
    std::vector<OwnerNotice> notices;  // the account's, oldest first; now deleted
    std::size_t discarded = 0;         // notices of a former account with the same name or uid, deleted unseen
};

// At most this many notices wait per uid; a newer reset drops the oldest.
inline constexpr std::size_t kMaxOwnerNotices = 5;

}  // namespace recoveryd
