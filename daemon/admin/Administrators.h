#pragma once
// Who administers: root, and members (primary or supplementary) of the
// policy's [Admin] Groups. Looked up afresh at every call, on a worker (the
// user database may be a directory service), never cached: a member
// removed from the group loses the right at once.

#include <string>
#include <sys/types.h>

#include "common/Result.h"
#include "daemon/policy/Policy.h"

namespace recoveryd {

struct Administrator {
    uid_t uid = 0;
    std::string name;

    // The audit log's actor: "uid:1001 (helpdesk)".
    std::string actor() const;
};

// AccessDenied ("permission denied: ...") for anyone else; Unavailable when
// the user database cannot answer.
Result<Administrator> identify_administrator(uid_t caller, const Policy& policy);

}  // namespace recoveryd
