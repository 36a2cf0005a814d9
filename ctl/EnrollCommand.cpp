#include "ctl/EnrollCommand.h"

#include <cstdio>
#include <unistd.h>

#include "ctl/DaemonClient.h"
#include "ctl/ExitCode.h"
#include "ctl/NotDumpable.h"
#include "ctl/PasswordPrompt.h"

namespace recoveryd::ctl {
namespace {

void print_codes(const std::vector<Secret>& codes) {
    // The codes outlive this process wherever stdout leads: say so where a
    // person still sees it.
    if (!isatty(STDOUT_FILENO))
        std::fputs("recoveryctl: warning: standard output is not a terminal, so the recovery codes are being\n"
                   "written to a file or pipe. Keep that file as safe as the codes, or delete it once you\n"
                   "have put them somewhere safe.\n",
                   stderr);
    std::printf("Your new recovery codes (any earlier ones no longer work):\n\n");
    int number = 1;
    for (const Secret& code : codes)
        std::printf("  %2d. %s\n", number++, code.c_str());
    std::printf("\nEach code works once. Keep them somewhere safe, away from this computer:\n"
                "at a login prompt, \"Can't access your account?\" asks for one.\n");
    std::fflush(stdout);
}

}  // namespace

int run_enroll_codes() {
    // Before the password exists in this process, until it ends.
    if (auto protect = make_not_dumpable(); !protect)
        return report_error(protect.error());
    auto client = DaemonClient::connect();
    if (!client)
        return report_error(client.error());
    auto password = read_password("Current password: ");
    if (!password)
        return report_error(password.error());
    auto codes = client->enroll_recovery_codes(*password);
    if (!codes)
        return report_error(codes.error());
    print_codes(*codes);
    return kExitOk;
}

}  // namespace recoveryd::ctl
