#include "ctl/StatusCommand.h"

#include <cstdio>
#include <ctime>
#include <nlohmann/json.hpp>

#include "ctl/ExitCode.h"

namespace recoveryd::ctl {
namespace {

// ISO-8601 in UTC, stable for scripts.
std::string iso_time(std::uint64_t epoch) {
    std::time_t t = static_cast<std::time_t>(epoch);
    struct tm tm {};
    gmtime_r(&t, &tm);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return text;
}

}  // namespace

std::string format_status_text(const AccountStatus& status) {
    std::string out = "Account: " + status.user + "\n";
    if (status.recovery_codes_enrolled_at == 0)
        return out + "Recovery codes: none enrolled (run 'recoveryctl enroll codes')\n";
    out += "Recovery codes: " + std::to_string(status.recovery_codes_remaining) + " left, enrolled " +
           iso_time(status.recovery_codes_enrolled_at) + "\n";
    if (status.recovery_codes_remaining == 0)
        out += "All codes are used: run 'recoveryctl enroll codes' for a new set.\n";
    return out;
}

std::string format_status_json(const AccountStatus& status) {
    nlohmann::json codes = {{"remaining", status.recovery_codes_remaining}, {"enrolled_at", nullptr}};
    if (status.recovery_codes_enrolled_at != 0)
        codes["enrolled_at"] = iso_time(status.recovery_codes_enrolled_at);
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
