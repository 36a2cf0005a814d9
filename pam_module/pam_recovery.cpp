// pam_recovery.so: "Can't access your account?" in the auth stack, after the
// password module. It offers recovery, then relays recoveryd's conversation;
// it decides nothing itself: only the daemon's "succeeded" for this flow
// gives PAM_SUCCESS (DESIGN.md invariant 1).
#include <security/pam_ext.h>
#include <security/pam_modules.h>
#include <syslog.h>

#include <cctype>
#include <string>
#include <string_view>

#include "common/Validation.h"
#include "pam_module/Conversation.h"
#include "pam_module/DaemonClient.h"
#include "pam_module/ModuleOptions.h"

namespace recoveryd::pam {
namespace {

constexpr std::string_view kOffer =
    "Can't access your account? Type 'yes' to recover it, or press Enter to try again. ";
constexpr std::string_view kUnavailable = "Account recovery is not available right now.";
constexpr int kMaxRounds = 32;  // far more than any conversation needs
constexpr std::size_t kMaxContextBytes = 256;

bool is_yes(std::string_view answer) {
    while (!answer.empty() && std::isspace(static_cast<unsigned char>(answer.front())))
        answer.remove_prefix(1);
    while (!answer.empty() && std::isspace(static_cast<unsigned char>(answer.back())))
        answer.remove_suffix(1);
    return answer.size() == 3 && std::tolower(answer[0]) == 'y' && std::tolower(answer[1]) == 'e' &&
           std::tolower(answer[2]) == 's';
}

// Where the login comes from, for the daemon's audit log and policy.
FlowContext login_context(pam_handle_t* handle) {
    FlowContext context;
    const std::pair<int, const char*> items[] = {
        {PAM_SERVICE, "service"}, {PAM_TTY, "tty"}, {PAM_RHOST, "rhost"}, {PAM_RUSER, "ruser"}};
    for (const auto& [item, key] : items) {
        const void* value = nullptr;
        if (pam_get_item(handle, item, &value) != PAM_SUCCESS || value == nullptr)
            continue;
        const std::string_view text = static_cast<const char*>(value);
        if (!text.empty() && validate_text(key, text, kMaxContextBytes).ok())
            context.emplace_back(key, std::string(text));
    }
    return context;
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
                answers.push_back(std::move(*answer));
            } else if (auto told = conversation.tell(message.style, message.text); !told) {
                return told.error();
            }
        }
        return answers;
    }

    int relay(DaemonClient& daemon) const {
        std::vector<Secret> answers;
        for (int round = 0; round < kMaxRounds; ++round) {
            auto step = daemon.next(answers, options.next_timeout_ms * 1000);
            if (!step) {
                daemon.cancel();
                return unavailable(step.error());
            }
            auto rendered = render(*step);
            if (!rendered) {
                debug("conversation failed; cancelling the flow");
                daemon.cancel();
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
        daemon.cancel();
        return PAM_AUTH_ERR;
    }

    int authenticate() const {
        const char* user = nullptr;
        if (pam_get_user(handle, &user, nullptr) != PAM_SUCCESS || user == nullptr ||
            !validate_user_name(user).ok())
            return PAM_IGNORE;

        // sshd's password method cannot show echo-on prompts: the
        // conversation fails here and the login goes on, without a bus call.
        auto offer = Conversation(handle).ask(MessageStyle::PromptEchoOn, kOffer);
        if (!offer || !is_yes(offer->view())) {
            debug("recovery declined");
            return PAM_IGNORE;
        }

        auto daemon = DaemonClient::connect(options.timeout_ms * 1000);
        if (!daemon)
            return unavailable(daemon.error());
        if (auto started = daemon->start_flow(user, login_context(handle)); !started)
            return unavailable(started.error());
        debug("recovery flow started");
        return relay(*daemon);
    }
};

void warn_argument(const char* argument, void* context) {
    pam_syslog(static_cast<pam_handle_t*>(context), LOG_ERR, "unknown or malformed option: %s", argument);
}

}  // namespace
}  // namespace recoveryd::pam

extern "C" __attribute__((visibility("default"))) int pam_sm_authenticate(pam_handle_t* handle, int flags,
                                                                          int argc, const char** argv) {
    (void)flags;
    using namespace recoveryd::pam;
    try {
        const Module module{handle, parse_module_options(argc, argv, warn_argument, handle)};
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
