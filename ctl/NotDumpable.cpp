#include "ctl/NotDumpable.h"

#include <cerrno>
#include <cstring>
#include <string>
#include <sys/prctl.h>

namespace recoveryd::ctl {

Result<void> make_not_dumpable() {
    if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0)
        return make_error(ErrorCode::Internal,
                          std::string("cannot protect this process's memory: ") + std::strerror(errno));
    return {};
}

}  // namespace recoveryd::ctl
