#include "pam_module/Notices.h"

#include <cerrno>
#include <cstring>
#include <pwd.h>
#include <security/pam_ext.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>
#include <vector>

#include "common/Validation.h"
#include "pam_module/Conversation.h"

namespace recoveryd::pam {
namespace {

constexpr std::size_t kFirstBufferBytes = 4096;
constexpr std::size_t kMaxBufferBytes = 1024 * 1024;

void debug(pam_handle_t* handle, const ModuleOptions& options, const char* what) {
    if (options.debug)
        pam_syslog(handle, LOG_DEBUG, "owner notices: %s", what);
}

// The user being logged in, as PAM knows it: pam_get_user would prompt for
// one, and a session must not ask anything.
const char* session_user(pam_handle_t* handle) {
    const void* item = nullptr;
    if (pam_get_item(handle, PAM_USER, &item) != PAM_SUCCESS || item == nullptr)
        return nullptr;
    const auto* user = static_cast<const char*>(item);
    return validate_user_name(user).ok() ? user : nullptr;
}

// su and sudo name the one who asked in PAM_RUSER; login, sshd and gdm name
// nobody. A notice is for its owner, not for whoever becomes them.
bool someone_else_asked(pam_handle_t* handle, const char* user) {
    const void* item = nullptr;
    if (pam_get_item(handle, PAM_RUSER, &item) != PAM_SUCCESS || item == nullptr)
        return false;
    const auto* ruser = static_cast<const char*>(item);
    return ruser[0] != '\0' && std::strcmp(ruser, user) != 0;
}

bool marker_present(const NoticeSources& sources, std::uint32_t uid) {
    struct stat st {};
    return ::lstat(notice_marker_path(sources.marker_directory, uid).c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

}  // namespace

std::optional<std::uint32_t> lookup_uid(const char* user) {
    std::vector<char> buffer(kFirstBufferBytes);
    for (;;) {
        struct passwd entry {};
        struct passwd* found = nullptr;
        const int r = getpwnam_r(user, &entry, buffer.data(), buffer.size(), &found);
        if (r == ERANGE && buffer.size() < kMaxBufferBytes) {
            buffer.resize(buffer.size() * 2);
            continue;
        }
        if (r != 0 || found == nullptr)
            return std::nullopt;
        return static_cast<std::uint32_t>(found->pw_uid);
    }
}

int show_owner_notices(pam_handle_t* handle, int flags, const ModuleOptions& options, const NoticeSources& sources) {
    if (::geteuid() != 0) {
        debug(handle, options, "not running as root");
        return PAM_IGNORE;
    }
    if ((flags & PAM_SILENT) != 0) {
        debug(handle, options, "a silent session: left for the next login");
        return PAM_SUCCESS;
    }
    const char* user = session_user(handle);
    if (user == nullptr)
        return PAM_SUCCESS;
    if (someone_else_asked(handle, user)) {
        debug(handle, options, "a session opened for the user by someone else (su, sudo): left for their own login");
        return PAM_SUCCESS;
    }
    const auto uid = lookup_uid(user);
    if (!uid || !marker_present(sources, *uid))
        return PAM_SUCCESS;  // nothing waits: no bus call

    const DaemonClient daemon(sources.bus_address, options.timeout_ms * 1000, options.timeout_ms * 1000);
    const auto notices = daemon.take_notices(user);
    if (!notices) {
        if (options.debug)
            pam_syslog(handle, LOG_DEBUG, "owner notices not available: %s", notices.error().message.c_str());
        return PAM_SUCCESS;
    }
    Conversation conversation(handle);
    for (const std::string& text : *notices)
        if (!conversation.tell(MessageStyle::TextInfo, text))
            break;  // the application cannot show them: taken all the same, as a closed terminal would
    return PAM_SUCCESS;
}

}  // namespace recoveryd::pam
