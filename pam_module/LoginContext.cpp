#include "pam_module/LoginContext.h"

#include <charconv>
#include <fcntl.h>
#include <string>
#include <unistd.h>
#include <utility>

#include "common/UniqueFd.h"
#include "common/UntrustedText.h"
#include "common/Validation.h"

namespace recoveryd::pam {
namespace {

constexpr std::size_t kMaxContextBytes = 256;

}  // namespace

FlowContext login_context(pam_handle_t* handle) {
    FlowContext context;
    const std::pair<int, const char*> items[] = {
        {PAM_SERVICE, "service"}, {PAM_TTY, "tty"}, {PAM_RHOST, "rhost"}, {PAM_RUSER, "ruser"}};
    for (const auto& [item, key] : items) {
        const void* value = nullptr;
        if (pam_get_item(handle, item, &value) != PAM_SUCCESS || value == nullptr)
            continue;
        const std::string_view text = static_cast<const char*>(value);
        if (text.empty())
            continue;
        if (validate_text(key, text, kMaxContextBytes).ok()) {
            context.text.emplace_back(key, std::string(text));
            continue;
        }
        // Never dropped: a remote host the daemon does not see would make a
        // remote login pass for a local one (AllowRemote = no). The daemon
        // gets a stand-in that is valid text and names what came.
        context.text.emplace_back(key, escape_untrusted(text).substr(0, kMaxContextBytes));
    }
    context.uid = static_cast<std::uint32_t>(getuid());
    context.loginuid = read_loginuid();
    return context;
}

std::uint32_t parse_loginuid(std::string_view text) {
    if (!text.empty() && text.back() == '\n')
        text.remove_suffix(1);
    std::uint32_t value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || error != std::errc() || end != text.data() + text.size())
        return kUnsetLoginUid;
    return value;
}

std::uint32_t read_loginuid(const char* path) {
    const UniqueFd fd(open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY));
    if (!fd.valid())
        return kUnsetLoginUid;
    char buffer[16];
    const ssize_t n = read(fd.get(), buffer, sizeof buffer);
    if (n <= 0 || static_cast<std::size_t>(n) == sizeof buffer)
        return kUnsetLoginUid;
    return parse_loginuid(std::string_view(buffer, static_cast<std::size_t>(n)));
}

}  // namespace recoveryd::pam
