#pragma once
// Looks accounts up in the system's user database (NSS: /etc/passwd, and
// LDAP/SSSD where configured), with the groups each belongs to.

#include <string>
#include <string_view>
#include <sys/types.h>
#include <vector>

#include "common/Result.h"

namespace recoveryd {

struct UserRecord {
    std::string name;
    uid_t uid = 0;
    gid_t gid = 0;
    std::vector<std::string> groups;  // primary and supplementary group names
};

// NotFound when the database says there is no such user; Unavailable when it
// could not answer (a directory service that is down): never treat that as
// "no such user".
Result<UserRecord> find_user_by_name(std::string_view name);
Result<UserRecord> find_user_by_uid(uid_t uid);

}  // namespace recoveryd
