#include "daemon/resets/FaillockTally.h"

#include <string_view>
#include <unistd.h>
#include <vector>

#include "common/ConfigText.h"
#include "daemon/process/ChildProcess.h"

namespace recoveryd {
namespace {

constexpr std::string_view kBlank = " \t\r";

std::string_view trim(std::string_view text) {
    const auto first = text.find_first_not_of(kBlank);
    if (first == std::string_view::npos)
        return {};
    return text.substr(first, text.find_last_not_of(kBlank) - first + 1);
}

}  // namespace

std::string faillock_tally_directory(const std::filesystem::path& config) {
    const auto read = read_config_file(config);  // missing or unreadable: pam_faillock's default
    const std::string contents = read.ok() ? read->value_or("") : "";
    std::string directory;
    for (std::string_view text : split_lines(contents)) {
        text = trim(text.substr(0, text.find('#')));
        const auto name_end = text.find_first_of(" \t=");
        if (text.substr(0, name_end) != "dir" || name_end == std::string_view::npos)
            continue;
        std::string_view value = trim(text.substr(name_end));
        if (value.empty() || value.front() != '=')
            continue;
        value = trim(value.substr(1));
        if (!value.empty() && value.front() == '/')  // pam_faillock ignores a relative one; the last one wins
            directory = value;
    }
    return directory;
}

Result<void> reset_faillock_tally(const std::string& user, const FaillockTool& tool) {
    if (access(tool.program.c_str(), X_OK) != 0)
        return {};
    std::vector<std::string> arguments{"--user", user, "--reset"};
    if (const std::string directory = faillock_tally_directory(tool.config); !directory.empty())
        arguments.insert(arguments.begin(), {"--dir", directory});
    const ProcessSpec spec{tool.program, std::move(arguments), {"PATH=/usr/sbin:/usr/bin:/sbin:/bin"}, tool.timeout};
    const auto ran = run_process(spec);
    if (!ran)
        return ran.error();
    if (!ran->succeeded())
        return make_error(ErrorCode::Io, "faillock --reset failed" +
                                             (ran->stderr_line().empty() ? std::string() : ": " + ran->stderr_line()));
    return {};
}

}  // namespace recoveryd
