#pragma once
// What administrators do over the Admin interface. The bus layer has
// authorized the caller and runs these on a worker (they touch the store).

#include <cstddef>
#include <string>
#include <sys/types.h>

#include "common/Result.h"
#include "daemon/Services.h"

namespace recoveryd {

class AdminService {
public:
    explicit AdminService(Services& services) : services_(services) {}

    // Deletes every method enrolled under the name `user`, whatever uid it
    // was bound to (for userdel: a reused name must start with nothing).
    // Audited as methods.forget with the administrator as actor.
    Result<std::size_t> forget_user(uid_t administrator, const std::string& user);

private:
    Services& services_;
};

}  // namespace recoveryd
