#include "daemon/resets/FaillockTally.h"

#include <unistd.h>

#include "daemon/process/ChildProcess.h"

namespace recoveryd {

Result<void> reset_faillock_tally(const std::string& user, const FaillockTool& tool) {
    if (access(tool.program.c_str(), X_OK) != 0)
        return {};
    const ProcessSpec spec{tool.program, {"--user", user, "--reset"}, {"PATH=/usr/sbin:/usr/bin:/sbin:/bin"},
                           tool.timeout};
    const auto ran = run_process(spec);
    if (!ran)
        return ran.error();
    if (!ran->succeeded())
        return make_error(ErrorCode::Io, "faillock --reset failed" +
                                             (ran->stderr_line().empty() ? std::string() : ": " + ran->stderr_line()));
    return {};
}

}  // namespace recoveryd
