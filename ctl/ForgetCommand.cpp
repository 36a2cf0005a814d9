#include "ctl/ForgetCommand.h"

#include <cstdio>

#include "common/Validation.h"
#include "ctl/DaemonClient.h"
#include "ctl/ExitCode.h"

namespace recoveryd::ctl {

std::string format_forget_result(std::string_view user, std::uint32_t removed) {
    const std::string name(user);
    if (removed == 0)
        return name + " had nothing enrolled.\n";
    return "Removed " + std::to_string(removed) + (removed == 1 ? " enrollment" : " enrollments") + " of " +
           name + ".\n";
}

int run_forget(std::string_view user) {
    if (auto valid = validate_user_name(user); !valid)
        return report_error(valid.error());
    auto client = DaemonClient::connect();
    if (!client)
        return report_error(client.error());
    auto removed = client->forget_user(user);
    if (!removed)
        return report_error(removed.error());
    std::fputs(format_forget_result(user, *removed).c_str(), stdout);
    return kExitOk;
}

}  // namespace recoveryd::ctl
