#include "pam_module/ModuleOptions.h"

#include <security/pam_ext.h>
#include <syslog.h>

#include <cerrno>
#include <cstdlib>
#include <string>
#include <string_view>

namespace recoveryd::pam {
namespace {

bool parse_milliseconds(std::string_view text, std::uint64_t& out) {
    if (text.empty() || text.size() > 6 || text.find_first_not_of("0123456789") != std::string_view::npos)
        return false;
    const std::uint64_t value = std::strtoull(std::string(text).c_str(), nullptr, 10);
    if (value < 100 || value > 600000)
        return false;
    out = value;
    return true;
}

void log_bad_argument(const char* argument, void* handle) {
    pam_syslog(static_cast<pam_handle_t*>(handle), LOG_ERR, "unknown or malformed option: %s", argument);
}

}  // namespace

ModuleOptions parse_module_options(int argc, const char** argv, void (*warn)(const char*, void*), void* context) {
    ModuleOptions options;
    for (int i = 0; i < argc; ++i) {
        const std::string_view argument = argv[i] ? argv[i] : "";
        bool ok = true;
        if (argument == "debug")
            options.debug = true;
        else if (argument.substr(0, 11) == "timeout_ms=")
            ok = parse_milliseconds(argument.substr(11), options.timeout_ms);
        else if (argument.substr(0, 16) == "next_timeout_ms=")
            ok = parse_milliseconds(argument.substr(16), options.next_timeout_ms);
        else
            ok = false;
        if (!ok)
            warn(argv[i] ? argv[i] : "(null)", context);
    }
    return options;
}

ModuleOptions read_module_options(pam_handle_t* handle, int argc, const char** argv) {
    return parse_module_options(argc, argv, log_bad_argument, handle);
}

}  // namespace recoveryd::pam
