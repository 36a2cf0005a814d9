#pragma once
// What the owner of an account sees once, at their next login, after their
// password was reset (docs/decisions/owner-notices.md). The notices are kept
// in the store, bound to the account's name and uid; while one waits, a
// marker file named by the uid (common/NoticeMarker.h) tells the PAM module
// that a bus call is worth making. Safe to use from several threads: the
// store serializes the notices, and take() leaves the marker right however
// leaves and takes interleave.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "common/Result.h"
#include "daemon/resets/PasswordReset.h"
#include "daemon/store/Store.h"

namespace recoveryd {

struct TakenNotices {
    std::vector<std::string> texts;  // oldest first
    std::size_t discarded = 0;       // of a former account with the same name or uid, never shown
    std::string problem;             // a marker that could not be updated (the notices are taken all the same)
};

class OwnerNotices {
public:
    // `marker_directory` is kNoticeMarkerDirectory in the daemon; made 0700
    // when missing, refused unless it is root's alone.
    OwnerNotices(Store& store, std::filesystem::path marker_directory)
        : store_(store), markers_(std::move(marker_directory)) {}

    // Stores the owner's notice, then puts the account's marker in place.
    // `settles`: the recorded rotation intent of the reset, deleted with the
    // notice (Store::add_owner_notice), or alone when the notice cannot be
    // stored.
    Result<void> leave(const PasswordReset& reset, std::int64_t settles = 0);
    // At start: a marker for every uid a notice waits for, in case a crash
    // came between a notice and its marker.
    Result<void> restore_markers();
    // Takes the notices waiting for the account (user, uid): they are
    // deleted and never shown again. The marker goes unless a notice still
    // waits for the uid.
    Result<TakenNotices> take(const std::string& user, std::int64_t uid);

private:
    Store& store_;
    std::filesystem::path markers_;
};

// The text of a notice, e.g. "Your password was reset on 2026-11-26 at 14:03
// UTC through account recovery at the login prompt (service sshd, from
// 192.0.2.7). If this was not you, contact your administrator now."
std::string notice_text(const OwnerNotice& notice);

}  // namespace recoveryd
