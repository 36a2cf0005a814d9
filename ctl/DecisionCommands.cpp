#include "ctl/DecisionCommands.h"

#include <cstdio>
#include <string>

#include "common/FlowProtocol.h"
#include "common/Validation.h"
#include "ctl/DaemonClient.h"
#include "ctl/ExitCode.h"
#include "ctl/NotDumpable.h"
#include "ctl/TimeArgs.h"

namespace recoveryd::ctl {
namespace {

// Ids are short ("K7Q-4MZ"); the daemon checks the rest.
constexpr std::size_t kMaxIdBytes = 64;
// A sanity cap only: the daemon applies its own, stricter ones.
constexpr std::size_t kMaxNoteBytes = kMaxMessageBytes;

Result<void> validate_request_id(std::string_view id) {
    if (id.empty())
        return make_error(ErrorCode::InvalidArgument, "the request id is empty");
    return validate_text("request id", id, kMaxIdBytes);
}

// Secrets are printed straight from their Secret and the output wiped; the
// process must not be dumpable while it holds one (see NotDumpable.h).
void print_sensitive(const SensitiveString& text) {
    std::fwrite(text.data(), 1, text.size(), stdout);
    std::fflush(stdout);
}

constexpr const char* kConfirmFirst =
    "only after you have confirmed who they are through contact details already on file.\n";

}  // namespace

SensitiveString format_approval(std::string_view id, const Approval& approval, std::uint64_t now) {
    SensitiveString out = "Approval code for request ";
    out.append(id);
    out += ":\n\n    ";
    out.append(approval.code.view());
    out += "\n\nIt works once, for this request's user, and expires at ";
    out += utc_from_usec(approval.expires_at_usec);
    out += " (" + format_time_left(now, approval.expires_at_usec) + ").\n";
    out += "Read it to the person ";
    out += kConfirmFirst;
    out += "At the login prompt they choose \"I have a code from an administrator\".\n";
    return out;
}

SensitiveString format_temporary_password(std::string_view user, const Secret& password) {
    SensitiveString out = "Temporary password for ";
    out.append(user);
    out += ":\n\n    ";
    out.append(password.view());
    out += "\n\n";
    out.append(user);
    out += " must choose a new password at the next login.\nGive it to them ";
    out += kConfirmFirst;
    return out;
}

int run_approve(std::string_view id, std::string_view note) {
    if (auto valid = validate_request_id(id); !valid)
        return report_error(valid.error());
    if (auto valid = validate_text("note", note, kMaxNoteBytes); !valid)
        return report_error(valid.error());
    if (auto protect = make_not_dumpable(); !protect)  // before the code exists here
        return report_error(protect.error());
    auto client = DaemonClient::connect();
    if (!client)
        return report_error(client.error());
    auto approval = client->approve_request(id, note);
    if (!approval)
        return report_error(approval.error());
    print_sensitive(format_approval(id, *approval, now_usec()));
    return kExitOk;
}

int run_deny(std::string_view id, std::string_view reason) {
    if (auto valid = validate_request_id(id); !valid)
        return report_error(valid.error());
    if (reason.empty())
        return report_error(make_error(ErrorCode::InvalidArgument, "--reason must not be empty"));
    if (auto valid = validate_text("reason", reason, kMaxNoteBytes); !valid)
        return report_error(valid.error());
    auto client = DaemonClient::connect();
    if (!client)
        return report_error(client.error());
    if (auto denied = client->deny_request(id, reason); !denied)
        return report_error(denied.error());
    std::printf("Denied request %.*s. An approval code issued for it no longer works.\n",
                static_cast<int>(id.size()), id.data());
    return kExitOk;
}

int run_reset_password(std::string_view user) {
    if (auto valid = validate_user_name(user); !valid)
        return report_error(valid.error());
    if (auto protect = make_not_dumpable(); !protect)
        return report_error(protect.error());
    auto client = DaemonClient::connect();
    if (!client)
        return report_error(client.error());
    auto password = client->reset_password(user);
    if (!password)
        return report_error(password.error());
    print_sensitive(format_temporary_password(user, *password));
    return kExitOk;
}

int run_unlock(std::string_view user) {
    if (auto valid = validate_user_name(user); !valid)
        return report_error(valid.error());
    auto client = DaemonClient::connect();
    if (!client)
        return report_error(client.error());
    if (auto unlocked = client->unlock(user); !unlocked)
        return report_error(unlocked.error());
    std::printf("Unlocked %.*s: the failed-login counters are reset.\n", static_cast<int>(user.size()),
                user.data());
    return kExitOk;
}

}  // namespace recoveryd::ctl
