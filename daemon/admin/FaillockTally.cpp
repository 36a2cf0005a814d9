#include "daemon/admin/FaillockTally.h"

#include <unistd.h>

#include "daemon/process/ChildProcess.h"

namespace recoveryd {
namespace {

// The tool's message on one line, for an error and an audit row.
std::string one_line(std::string text) {
    for (char& c : text)
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
            c = ' ';
    text.erase(text.find_last_not_of(' ') + 1);
    return text;
}

}  // namespace

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
                                             (ran->stderr_head.empty() ? std::string() : ": " + one_line(ran->stderr_head)));
    return {};
}

}  // namespace recoveryd
