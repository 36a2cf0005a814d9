// pam_recovery.so: "Can't access your account?" in the auth stack, after the
// password module. Where recoveryd's policy offers recovery (one MayOffer
// call) it offers it, then relays recoveryd's conversation;
// it decides nothing itself: only the daemon's "succeeded" for this flow
// gives PAM_SUCCESS (DESIGN.md invariant 1). It trusts nothing from the
// application's environment (invariant 13).
#include <security/pam_ext.h>
#include <security/pam_modules.h>
#include <syslog.h>
#include <unistd.h>

#include <string>
#include <string_view>
#include <vector>

#include "common/Validation.h"
#include "pam_module/Conversation.h"
#include "pam_module/DaemonClient.h"
#include "pam_module/LoginContext.h"
#include "pam_module/ModuleOptions.h"
#include "pam_module/Offer.h"

namespace recoveryd::pam {
namespace {

constexpr std::string_view kUnavailable = "Account recovery is not available right now.";
constexpr int kMaxRounds = 32;  // far more than any conversation needs

// D-Bus strings are UTF-8, so bytes that are not (a Latin-1 terminal, say)
// cannot travel as typed. They go as one ASCII SUBSTITUTE character, a
// control character the daemon refuses like any other bad answer (asked
// again, within its limit of tries): the module still judges nothing.
Secret relayable(Secret answer) {
    if (is_valid_utf8(answer.view()))
        return answer;
    return Secret("\x1a");
}

struct Module {
    pam_handle_t* handle;
    ModuleOptions options;

    void debug(const char* what) const {
        if (options.debug)
            pam_syslog(handle, LOG_DEBUG, "%s", what);
    }

    int unavailable(const Error& error) const {
        pam_syslog(handle, LOG_WARNING, "account recovery unavailable: %s", error.message.c_str());
        (void)Conversation(handle).tell(MessageStyle::ErrorMsg, kUnavailable);
        return PAM_AUTHINFO_UNAVAIL;
    }

    // Asked before the offer, so that where the policy does not offer
    // recovery the login sees nothing. A daemon that is absent, hung or
    // broken offers nothing either: the login goes on as without the module.
    bool offered_here(const DaemonClient& daemon, const FlowContext& context) const {
        auto offered = daemon.may_offer(context);
        if (!offered) {
            pam_syslog(handle, LOG_DEBUG, "recovery not offered: %s", offered.error().message.c_str());
            return false;
        }
        if (!*offered)
            debug("recovery not offered here by policy");
        return *offered;
    }

    // What was typed at the offer may be the password again: it is read
    // with echo off, compared with "yes" and wiped here, never kept.
    bool offer_accepted() const {
        const auto answer = Conversation(handle).ask(MessageStyle::PromptEchoOff, kOffer);
        return answer && is_yes(answer->view());
    }

    // Renders one reply; collects one answer per prompt. A failed prompt
    // ends the flow: the caller cancels it.
    Result<std::vector<Secret>> render(const FlowStep& step) const {
        Conversation conversation(handle);
        std::vector<Secret> answers;
        for (const FlowMessage& message : step.messages) {
            if (is_prompt(message.style)) {
                auto answer = conversation.ask(message.style, message.text);
                if (!answer)
                    return answer.error();
                answers.push_back(relayable(std::move(*answer)));
            } else if (auto told = conversation.tell(message.style, message.text); !told) {
                return told.error();
            }
        }
        return answers;
    }

    int relay(Flow& flow) const {
        std::vector<Secret> answers;
        for (int round = 0; round < kMaxRounds; ++round) {
            auto step = flow.next(answers);
            answers.clear();  // sent (or not): wiped now, not at the end of the login
            if (!step) {
                flow.cancel();
                return unavailable(step.error());
            }
            auto rendered = render(*step);
            if (!rendered) {
                debug("conversation failed; cancelling the flow");
                flow.cancel();
                return PAM_AUTH_ERR;
            }
            switch (step->state) {
            case FlowState::Continue:
                answers = std::move(*rendered);
                continue;
            case FlowState::Succeeded:
                return PAM_SUCCESS;
            case FlowState::Failed:
            case FlowState::PasswordChanged:
                return PAM_AUTH_ERR;
            }
        }
        debug("too many rounds; cancelling the flow");
        flow.cancel();
        return PAM_AUTH_ERR;
    }

    int authenticate() const {
        // Screen lockers run PAM as the user: the daemon would refuse them,
        // and nothing about such a process can be trusted to reach it.
        if (geteuid() != 0) {
            debug("not running as root; recovery not offered");
            return PAM_IGNORE;
        }
        // A copy: the application may change PAM_USER in the conversation,
        // which frees libpam's string.
        const char* item = nullptr;
        if (pam_get_user(handle, &item, nullptr) != PAM_SUCCESS || item == nullptr || !validate_user_name(item).ok())
            return PAM_IGNORE;
        const std::string user = item;

        const DaemonClient daemon(kSystemBusAddress, options.timeout_ms * 1000, options.next_timeout_ms * 1000);
        const FlowContext context = login_context(handle);
        if (!offered_here(daemon, context))
            return PAM_IGNORE;
        if (!offer_accepted()) {
            debug("recovery declined");
            return PAM_IGNORE;
        }

        auto path = daemon.start_flow(user, context);
        if (!path)
            return unavailable(path.error());
        Flow flow(daemon, std::move(*path));  // cancelled on every way out that leaves it open
        debug("recovery flow started");

        // The password the primary module stored is wrong (that is why we
        // are here): later modules must not receive it.
        if (pam_set_item(handle, PAM_AUTHTOK, nullptr) != PAM_SUCCESS) {
            pam_syslog(handle, LOG_ERR, "cannot clear PAM_AUTHTOK");
            return PAM_SERVICE_ERR;
        }
        const int verdict = relay(flow);
        if (verdict == PAM_SUCCESS && !still_the_user(user)) {
            pam_syslog(handle, LOG_ERR, "PAM_USER changed during the recovery of %s; refusing the login",
                       user.c_str());
            return PAM_AUTH_ERR;
        }
        return verdict;
    }

    // A success proves who `user` is, and no one else: the login goes on only
    // as the account the recovery was for.
    bool still_the_user(const std::string& user) const {
        const void* now = nullptr;
        return pam_get_item(handle, PAM_USER, &now) == PAM_SUCCESS && now != nullptr &&
               user == static_cast<const char*>(now);
    }
};

}  // namespace
}  // namespace recoveryd::pam

extern "C" __attribute__((visibility("default"))) int pam_sm_authenticate(pam_handle_t* handle, int flags,
                                                                          int argc, const char** argv) {
    (void)flags;
    using namespace recoveryd::pam;
    try {
        const Module module{handle, read_module_options(handle, argc, argv)};
        return module.authenticate();
    } catch (...) {
        // Nothing may unwind into the application.
        return PAM_SERVICE_ERR;
    }
}

// No credentials to set; success keeps a stack that reached us unchanged.
extern "C" __attribute__((visibility("default"))) int pam_sm_setcred(pam_handle_t* handle, int flags, int argc,
                                                                     const char** argv) {
    (void)handle;
    (void)flags;
    (void)argc;
    (void)argv;
    return PAM_SUCCESS;
}
