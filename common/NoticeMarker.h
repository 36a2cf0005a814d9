#pragma once
// How the PAM module learns, without a bus call, that an account has a notice
// waiting (docs/decisions/owner-notices.md): recoveryd keeps an empty file
// named by the account's uid in a root-only directory while one waits. Every
// login stats it; only when it is there does the module ask the daemon, so a
// login with nothing to show costs no call and never starts the daemon.

#include <cstdint>
#include <string>

namespace recoveryd {

inline constexpr const char* kNoticeMarkerDirectory = "/var/lib/recoveryd/notices";

inline std::string notice_marker_path(const std::string& directory, std::uint32_t uid) {
    return directory + "/" + std::to_string(uid);
}

}  // namespace recoveryd
