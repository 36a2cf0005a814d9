#include "ctl/StatusCommand.h"

#include <cstdio>
#include <nlohmann/json.hpp>

#include "common/TimeText.h"
#include "ctl/ExitCode.h"

namespace recoveryd::ctl {

std::string format_status_text(const AccountStatus& status) {
    std::string out = "Account: " + status.user + "\n";
    if (status.recovery_codes_enrolled_at == 0)
        return out + "Recovery codes: none enrolled (run 'recoveryctl enroll codes')\n";
    out += "Recovery codes: " + std::to_string(status.recovery_codes_remaining) + " left, enrolled " +
           utc_iso8601(static_cast<std::int64_t>(status.recovery_codes_enrolled_at)) + "\n";
    if (status.recovery_codes_remaining == 0)
        out += "All codes are used: run 'recoveryctl enroll codes' for a new set.\n";
    return out;
}

std::string format_status_json(const AccountStatus& status) {
    nlohmann::json codes = {{"remaining", status.recovery_codes_remaining}, {"enrolled_at", nullptr}};
    if (status.recovery_codes_enrolled_at != 0)
        codes["enrolled_at"] = utc_iso8601(static_cast<std::int64_t>(status.recovery_codes_enrolled_at));
    const nlohmann::json out = {{"user", status.user}, {"recovery_codes", codes}};
    return out.dump(2) + "\n";
}

int run_status(bool json) {
    auto client = DaemonClient::connect();
    if (!client)
        return report_error(client.error());
    auto status = client->get_status();
    if (!status)
        return report_error(status.error());
    const std::string text = json ? format_status_json(*status) : format_status_text(*status);
    std::fputs(text.c_str(), stdout);
    return kExitOk;
}

}  // namespace recoveryd::ctl
