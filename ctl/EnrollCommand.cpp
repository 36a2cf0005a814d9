#include "ctl/EnrollCommand.h"

#include <cstdio>

#include "ctl/DaemonClient.h"
#include "ctl/ExitCode.h"
#include "ctl/PasswordPrompt.h"

namespace recoveryd::ctl {

int run_enroll_codes() {
    auto client = DaemonClient::connect();
    if (!client)
        return report_error(client.error());
    auto password = read_password("Current password: ");
    if (!password)
        return report_error(password.error());
    auto codes = client->enroll_recovery_codes(*password);
    if (!codes)
        return report_error(codes.error());

    std::printf("Your new recovery codes (any earlier ones no longer work):\n\n");
    int number = 1;
    for (const Secret& code : *codes)
        std::printf("  %2d. %s\n", number++, code.c_str());
    std::printf("\nEach code works once. Keep them somewhere safe, away from this computer:\n"
                "at a login prompt, \"Can't access your account?\" asks for one.\n");
    std::fflush(stdout);
    return kExitOk;
}

}  // namespace recoveryd::ctl
