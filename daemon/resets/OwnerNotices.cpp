#include "daemon/resets/OwnerNotices.h"

#include <cerrno>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/UniqueFd.h"

namespace recoveryd {
namespace {

namespace fs = std::filesystem;

Error io_error(const fs::path& path, const char* doing) {
    return make_error(ErrorCode::Io, "cannot " + std::string(doing) + " " + path.string() + ": " + std::strerror(errno));
}

// The marker directory, opened without following a link; with `create`,
// made first when missing. An empty UniqueFd: missing, and not to be made.
Result<UniqueFd> open_markers(const fs::path& directory, bool create) {
    if (create && ::mkdir(directory.c_str(), 0700) < 0 && errno != EEXIST)
        return io_error(directory, "create");
    UniqueFd fd(::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (!fd.valid())
        return !create && errno == ENOENT ? Result<UniqueFd>(UniqueFd()) : Result<UniqueFd>(io_error(directory, "open"));
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0 || st.st_uid != ::geteuid() || (st.st_mode & 077) != 0)
        return make_error(ErrorCode::AccessDenied, directory.string() +
                                                       " must be a directory owned by root with mode 0700; fix it "
                                                       "with: chown root:root " +
                                                       directory.string() + " && chmod 0700 " + directory.string());
    return fd;
}

Result<void> put_marker(const fs::path& directory, std::int64_t uid) {
    auto markers = open_markers(directory, true);
    if (!markers)
        return markers.error();
    const std::string name = std::to_string(uid);
    UniqueFd marker(::openat(markers->get(), name.c_str(), O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600));
    if (!marker.valid())
        return io_error(directory / name, "create");
    // As durable as the notice: a marker lost in a crash would hide it.
    if (::fsync(markers->get()) != 0)
        return io_error(directory, "sync");
    return {};
}

Result<void> remove_marker(const fs::path& directory, std::int64_t uid) {
    auto markers = open_markers(directory, false);
    if (!markers)
        return markers.error();
    const std::string name = std::to_string(uid);
    if (markers->valid() && ::unlinkat(markers->get(), name.c_str(), 0) != 0 && errno != ENOENT)
        return io_error(directory / name, "remove");
    return {};
}

// "2026-11-26 at 14:03 UTC"
std::string when(std::int64_t at) {
    const std::time_t t = static_cast<std::time_t>(at);
    struct tm tm {};
    gmtime_r(&t, &tm);
    char text[64];
    std::strftime(text, sizeof text, "%Y-%m-%d at %H:%M UTC", &tm);
    return text;
}

// " (service sshd, from 192.0.2.7)", " (service login, on tty1)", or "".
std::string where(const OwnerNotice& notice) {
    std::string parts;
    const auto add = [&parts](const std::string& part) { parts += (parts.empty() ? "" : ", ") + part; };
    if (!notice.service.empty())
        add("service " + notice.service);
    if (!notice.rhost.empty())
        add("from " + notice.rhost);
    else if (!notice.tty.empty())
        add("on " + notice.tty);
    return parts.empty() ? parts : " (" + parts + ")";
}

}  // namespace

std::string notice_text(const OwnerNotice& notice) {
    std::string text = "Your password was reset on " + when(notice.reset_at) + " ";
    if (notice.way == ResetWay::Administrator)
        text += "by an administrator" + (notice.admin.empty() ? std::string() : " (" + notice.admin + ")");
    else
        text += "through account recovery at the login prompt" + where(notice);
    return text + ". If this was not you, contact your administrator now.";
}

Result<void> OwnerNotices::leave(const PasswordReset& reset, std::int64_t settles) {
    if (auto stored = store_.add_owner_notice(owner_notice(reset), settles); !stored) {
        // The intent goes all the same, or every start would repeat the
        // follow-ups (the failure is audited by the caller).
        if (settles != 0)
            (void)store_.remove_rotation_intent(settles);
        return stored;
    }
    return put_marker(markers_, reset.uid);
}

Result<void> OwnerNotices::restore_markers() {
    const auto uids = store_.owner_notice_uids();
    if (!uids)
        return uids.error();
    for (const std::int64_t uid : *uids)
        if (auto put = put_marker(markers_, uid); !put)
            return put;
    return {};
}

Result<TakenNotices> OwnerNotices::take(const std::string& user, std::int64_t uid) {
    auto taken = store_.take_owner_notices(user, uid);
    if (!taken)
        return taken.error();
    TakenNotices out;
    out.discarded = taken->discarded;
    for (const OwnerNotice& notice : taken->notices)
        out.texts.push_back(notice_text(notice));
    if (uid < 0)
        return out;
    // Removed first, then put back when a notice still waits: a leave()
    // whose notice this take missed puts its marker after storing it, so
    // either that marker comes after the removal, or the check below sees
    // the notice. The notices are taken either way; a marker left behind
    // costs one bus call at the next login.
    auto removed = remove_marker(markers_, uid);
    auto waiting = store_.has_owner_notices(uid);
    if (!waiting)
        out.problem = waiting.error().message;
    else if (*waiting) {
        if (auto put = put_marker(markers_, uid); !put)
            out.problem = put.error().message;
    } else if (!removed) {
        out.problem = removed.error().message;
    }
    return out;
}

}  // namespace recoveryd
