#include "daemon/policy/Offering.h"

#include <algorithm>
#include <climits>

namespace recoveryd {
namespace {

bool is_lower_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

bool is_service_char(char c) { return is_lower_alnum(c) || c == '.' || c == '_' || c == '-'; }

}  // namespace

Result<void> validate_service_name(std::string_view name) {
    const std::string quoted = "'" + std::string(name) + "'";
    if (name.empty() || name.size() > NAME_MAX)
        return make_error(ErrorCode::InvalidArgument, quoted + " is not a PAM service name: 1 to 255 bytes");
    if (std::any_of(name.begin(), name.end(), [](char c) { return c >= 'A' && c <= 'Z'; }))
        return make_error(ErrorCode::InvalidArgument,
                          quoted + " is not a PAM service name: write it in lower case (PAM lower-cases "
                                   "service names, so this would never match)");
    if (!is_lower_alnum(name.front()) || !std::all_of(name.begin(), name.end(), is_service_char))
        return make_error(ErrorCode::InvalidArgument,
                          quoted + " is not a PAM service name: use the name of a file in /etc/pam.d "
                                   "(letters a-z, digits, '.', '_', '-'), and separate names with spaces");
    return {};
}

std::optional<std::string> offer_refusal(const Policy& policy, const FlowContext& context) {
    if (!policy.enabled)
        return "account recovery is turned off by the recovery policy (Enabled = no)";
    if (!policy.services.empty() &&
        std::find(policy.services.begin(), policy.services.end(), context.service) == policy.services.end())
        return context.service.empty()
                   ? std::string("the login names no PAM service, and the recovery policy offers recovery "
                                 "only to the services it lists (Services)")
                   : "the recovery policy does not offer recovery to logins through the PAM service '" +
                         context.service + "' (Services)";
    if (!policy.allow_remote && !context.rhost.empty())
        return "the recovery policy does not offer recovery to logins from a remote host (AllowRemote = no)";
    return std::nullopt;
}

}  // namespace recoveryd
