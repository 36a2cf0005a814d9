#include "daemon/users/UserDatabase.h"

#include <cerrno>
#include <cstring>
#include <grp.h>
#include <pwd.h>
#include <unistd.h>

namespace recoveryd {

namespace {

constexpr std::size_t kMaxGroups = 65536;

std::size_t buffer_size(int name) {
    const long size = ::sysconf(name);
    return size > 0 ? static_cast<std::size_t>(size) : 16384;
}

Result<std::vector<std::string>> group_names(const char* user, gid_t primary) {
    std::vector<gid_t> gids(64);
    for (;;) {
        int count = static_cast<int>(gids.size());
        if (::getgrouplist(user, primary, gids.data(), &count) >= 0) {
            gids.resize(static_cast<std::size_t>(count));
            break;
        }
        if (static_cast<std::size_t>(count) > kMaxGroups)
            return make_error(ErrorCode::Internal, "the user belongs to too many groups");
        gids.resize(static_cast<std::size_t>(count));
    }
    std::vector<std::string> names;
    std::vector<char> buffer(buffer_size(_SC_GETGR_R_SIZE_MAX));
    for (const gid_t gid : gids) {
        struct group entry {};
        struct group* found = nullptr;
        int r;
        while ((r = ::getgrgid_r(gid, &entry, buffer.data(), buffer.size(), &found)) == ERANGE)
            buffer.resize(buffer.size() * 2);
        if (r == 0 && found != nullptr)
            names.emplace_back(found->gr_name);
    }
    return names;
}

// getpwnam_r(3): 0, ENOENT, ESRCH, EBADF and EPERM all mean "not found";
// anything else (EIO, EAGAIN, EMFILE... an LDAP server that does not answer)
// means the database could not say.
bool means_not_found(int r) { return r == 0 || r == ENOENT || r == ESRCH || r == EBADF || r == EPERM; }

// Calls getpwnam_r or getpwuid_r (passed as `lookup`) with a growing buffer.
template <typename Lookup>
Result<UserRecord> find_user(Lookup lookup, const std::string& what) {
    std::vector<char> buffer(buffer_size(_SC_GETPW_R_SIZE_MAX));
    struct passwd entry {};
    struct passwd* found = nullptr;
    int r;
    while ((r = lookup(&entry, buffer.data(), buffer.size(), &found)) == ERANGE)
        buffer.resize(buffer.size() * 2);
    if (found == nullptr && !means_not_found(r))
        return make_error(ErrorCode::Unavailable, "cannot read the user database: " + std::string(std::strerror(r)));
    if (found == nullptr)
        return make_error(ErrorCode::NotFound, "no such user: " + what);
    auto groups = group_names(found->pw_name, found->pw_gid);
    if (!groups)
        return groups.error();
    return UserRecord{found->pw_name, found->pw_uid, found->pw_gid, std::move(groups.value())};
}

}  // namespace

Result<UserRecord> find_user_by_name(std::string_view name) {
    const std::string key(name);
    return find_user(
        [&](passwd* entry, char* buf, std::size_t size, passwd** found) {
            return ::getpwnam_r(key.c_str(), entry, buf, size, found);
        },
        key);
}

Result<UserRecord> find_user_by_uid(uid_t uid) {
    return find_user(
        [&](passwd* entry, char* buf, std::size_t size, passwd** found) {
            return ::getpwuid_r(uid, entry, buf, size, found);
        },
        "uid " + std::to_string(uid));
}

}  // namespace recoveryd
