#include "daemon/policy/PolicyLoader.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <crypt.h>
#include <fcntl.h>
#include <map>
#include <ini.h>
#include <set>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

#include "common/ConfigText.h"
#include "common/EmbeddedFile.h"
#include "common/FlowProtocol.h"
#include "common/UniqueFd.h"
#include "common/Validation.h"
#include "daemon/hooks/NotifyHook.h"
#include "daemon/policy/Offering.h"

namespace recoveryd::policy_defaults {
extern const std::vector<recoveryd::EmbeddedFile> kEmbeddedFiles;
}

namespace recoveryd {
namespace {

constexpr std::size_t kMaxPolicyFileBytes = 64 * 1024;
constexpr std::size_t kMaxLineBytes = INI_MAX_LINE - 2;  // inih splits longer lines

// One file being parsed: where values go and the first problem found.
struct ParseState {
    Policy* policy;
    std::set<std::string> seen;  // "Section.Key", to refuse a key set twice
    std::string error;           // first error; inih reports its line
};

Result<bool> parse_bool(std::string_view value) {
    if (value == "yes" || value == "true" || value == "1")
        return true;
    if (value == "no" || value == "false" || value == "0")
        return false;
    return make_error(ErrorCode::InvalidArgument, "expected yes or no");
}

Result<long> parse_number(std::string_view value, long min, long max) {
    std::string text(value);
    char* end = nullptr;
    errno = 0;
    long number = text.empty() ? 0 : std::strtol(text.c_str(), &end, 10);
    if (text.empty() || errno != 0 || *end != '\0' || !std::isdigit(static_cast<unsigned char>(text[0])))
        return make_error(ErrorCode::InvalidArgument, "expected a whole number");
    if (number < min || number > max)
        return make_error(ErrorCode::InvalidArgument,
                          "must be between " + std::to_string(min) + " and " + std::to_string(max));
    return number;
}

bool is_valid_group_name(std::string_view name) {
    // Same syntax as user names (shadow-utils' default for both).
    return validate_user_name(name).ok();
}

Result<std::vector<std::string>> parse_groups(std::string_view value) {
    std::vector<std::string> groups;
    for (const std::string_view group : split_words(value)) {
        if (!is_valid_group_name(group))
            return make_error(ErrorCode::InvalidArgument, "'" + std::string(group) + "' is not a valid group name");
        groups.emplace_back(group);
    }
    return groups;
}

Result<std::vector<std::string>> parse_services(std::string_view value) {
    std::vector<std::string> services;
    for (const std::string_view service : split_words(value)) {
        if (auto valid = validate_service_name(service); !valid)
            return valid.error();
        services.emplace_back(service);
    }
    return services;
}

Error unknown_setting(std::string_view section, std::string_view key) {
    return make_error(ErrorCode::InvalidArgument,
                      "unknown setting " + std::string(key) + " in [" + std::string(section) + "]");
}

Result<void> set_seconds(std::chrono::seconds& field, std::string_view value, long min, long max) {
    auto seconds = parse_number(value, min, max);
    if (!seconds)
        return seconds.error();
    field = std::chrono::seconds(*seconds);
    return {};
}

Result<void> set_count(std::size_t& field, std::string_view value, long min, long max) {
    auto number = parse_number(value, min, max);
    if (!number)
        return number.error();
    field = static_cast<std::size_t>(*number);
    return {};
}

Result<void> apply_admin_setting(AdminPolicy& admin, std::string_view key, std::string_view value) {
    if (key == "Groups") {
        auto groups = parse_groups(value);
        if (!groups)
            return groups.error();
        admin.groups = std::move(*groups);
        return {};
    }
    if (key == "ApprovalCodeLifetimeSec")
        return set_seconds(admin.approval_code_lifetime, value, 60, 86400);
    if (key == "RequestLifetimeSec")
        return set_seconds(admin.request_lifetime, value, 3600, 2592000);
    if (key == "NotifyHookTimeoutSec")
        return set_seconds(admin.notify_hook_timeout, value, 1, 300);
    if (key == "MaxOpenRequestsPerUser")
        return set_count(admin.max_open_requests_per_user, value, 1, 100);
    if (key == "MaxOpenRequestsPerSource")
        return set_count(admin.max_open_requests_per_source, value, 1, 100);
    if (key == "MaxOpenRequests")
        return set_count(admin.max_open_requests, value, 1, 100000);
    if (key == "NotifyHook") {
        // Checked here, so a bad hook is refused with its file and line;
        // and again before each run (the file may change meanwhile).
        if (!value.empty())
            if (auto safe = check_hook_path(std::string(value)); !safe)
                return safe.error();
        admin.notify_hook = std::string(value);
        return {};
    }
    return unknown_setting("Admin", key);
}

Result<void> apply_limits_setting(Policy& policy, std::string_view key, std::string_view value) {
    static const std::map<std::string_view, std::size_t FlowLimits::*> kCaps = {
        {"MaxOpenFlows", &FlowLimits::max_open_flows},
        {"MaxFlowsPerUser", &FlowLimits::max_per_user},
        {"MaxFlowsPerTty", &FlowLimits::max_per_tty},
        {"MaxFlowsPerRemoteHost", &FlowLimits::max_per_remote_host},
    };
    if (const auto cap = kCaps.find(key); cap != kCaps.end())
        return set_count(policy.limits.*(cap->second), value, 1, 65536);
    AttemptLimits& attempts = policy.attempt_limits;
    static const std::map<std::string_view, FailureLimit AttemptLimits::*> kScopes = {
        {"PerUser", &AttemptLimits::per_user},
        {"PerSource", &AttemptLimits::per_source},
        {"Total", &AttemptLimits::total},
    };
    for (const auto& [suffix, scope] : kScopes) {
        FailureLimit& limit = attempts.*scope;
        if (key == "MaxFailures" + std::string(suffix)) {
            auto number = parse_number(value, 1, 100000);
            if (!number)
                return number.error();
            limit.max_failures = static_cast<std::uint32_t>(*number);
            return {};
        }
        if (key == "FailureWindow" + std::string(suffix) + "Sec")
            return set_seconds(limit.window, value, 60, 2592000);
        if (key == "Lockout" + std::string(suffix) + "Sec")
            return set_seconds(limit.lockout, value, 60, 2592000);
    }
    if (key == "MaxLockoutSec")
        return set_seconds(attempts.max_lockout, value, 60, 31536000);
    return unknown_setting("Limits", key);
}

// Lengths in characters. MinLength tops out where MaxLength starts, so the
// two can never contradict each other. A character is at most 4 bytes of
// UTF-8: the longest MaxLength must fit in one answer on the bus (and
// through the PAM module, which caps answers at the same size), and in what
// libxcrypt hashes (its limit counts the terminating NUL).
constexpr long kShortestMinLength = 8;    // NIST SP 800-63B-4, with a second factor
constexpr long kLongestMinLength = 64;
constexpr long kShortestMaxLength = 64;   // NIST SP 800-63B-4: at least 64 accepted
constexpr long kLongestMaxLength = 127;
static_assert(kLongestMaxLength * 4 <= static_cast<long>(kMaxAnswerBytes));
static_assert(kLongestMaxLength * 4 < CRYPT_MAX_PASSPHRASE_SIZE);
constexpr long kLongestHistory = 24;      // each remembered hash costs a crypt() per new password

Result<void> apply_password_setting(PasswordPolicy& password, std::string_view key, std::string_view value) {
    if (key == "MinLength")
        return set_count(password.min_length, value, kShortestMinLength, kLongestMinLength);
    if (key == "MaxLength")
        return set_count(password.max_length, value, kShortestMaxLength, kLongestMaxLength);
    if (key == "RememberLast")
        return set_count(password.remember_last, value, 0, kLongestHistory);
    if (key == "CheckBlocklist") {
        auto check = parse_bool(value);
        if (!check)
            return check.error();
        password.check_blocklist = *check;
        return {};
    }
    return unknown_setting("Password", key);
}

// Applies one key; an Error's message says what is wrong with the value.
Result<void> apply_setting(Policy& policy, std::string_view section, std::string_view key,
                           std::string_view value) {
    auto set_bool = [&](bool& field) -> Result<void> {
        auto parsed = parse_bool(value);
        if (!parsed)
            return parsed.error();
        field = *parsed;
        return {};
    };
    if (section == "Recovery") {
        if (key == "Enabled")
            return set_bool(policy.enabled);
        if (key == "Services") {
            auto services = parse_services(value);
            if (!services)
                return services.error();
            policy.services = std::move(*services);
            return {};
        }
        if (key == "AllowRemote")
            return set_bool(policy.allow_remote);
        if (key == "AllowRoot")
            return set_bool(policy.allow_root);
        if (key == "AllowGroups") {
            auto groups = parse_groups(value);
            if (!groups)
                return groups.error();
            policy.allow_groups = std::move(*groups);
            return {};
        }
        if (key == "MinUid") {
            auto uid = parse_number(value, 0, 2147483647);
            if (!uid)
                return uid.error();
            policy.min_uid = static_cast<uid_t>(*uid);
            return {};
        }
        if (key == "FlowTimeoutSec") {
            auto seconds = parse_number(value, 30, 3600);
            if (!seconds)
                return seconds.error();
            policy.flow_timeout = std::chrono::seconds(*seconds);
            return {};
        }
        if (key == "AfterReset") {
            if (value == "sign-in-again")
                policy.after_reset = AfterReset::SignInAgain;
            else if (value == "continue")
                policy.after_reset = AfterReset::Continue;
            else
                return make_error(ErrorCode::InvalidArgument, "expected sign-in-again or continue");
            return {};
        }
    } else if (section == "Password") {
        return apply_password_setting(policy.password, key, value);
    } else if (section == "Limits") {
        return apply_limits_setting(policy, key, value);
    } else if (section == "Admin") {
        return apply_admin_setting(policy.admin, key, value);
    } else if (section == "Daemon") {
        if (key == "IdleExitSec")
            return set_seconds(policy.daemon.idle_exit, value, 0, 86400);
    } else {
        return make_error(ErrorCode::InvalidArgument,
                          "unknown section [" + std::string(section) + "]");
    }
    return unknown_setting(section, key);
}

// inih callback: must not throw (it is called from C).
int on_ini_value(void* user, const char* section, const char* key, const char* value) noexcept {
    auto* state = static_cast<ParseState*>(user);
    try {
        if (!state->seen.insert(std::string(section) + "." + key).second) {
            state->error = std::string(key) + " is set twice in this file";
            return 0;
        }
        auto applied = apply_setting(*state->policy, section, key, value);
        if (!applied) {
            state->error = std::string(key) + " = " + value + ": " + applied.error().message;
            return 0;
        }
        return 1;
    } catch (...) {
        state->error = "out of memory";
        return 0;
    }
}

Error file_error(const std::string& name, std::size_t line, const std::string& reason) {
    return make_error(ErrorCode::InvalidArgument,
                      name + ":" + std::to_string(line) + ": " + reason);
}

// Checks what inih would silently mangle: bad UTF-8, overlong and indented
// (continuation) lines.
Result<void> check_lines(const std::string& name, std::string_view text) {
    std::size_t number = 0;
    for (std::size_t start = 0; start < text.size();) {
        std::size_t end = text.find('\n', start);
        if (end == std::string_view::npos)
            end = text.size();
        std::string_view line = text.substr(start, end - start);
        ++number;
        if (!is_valid_utf8(line))
            return file_error(name, number, "not valid UTF-8 text");
        if (line.size() > kMaxLineBytes)
            return file_error(name, number,
                              "line longer than " + std::to_string(kMaxLineBytes) + " bytes");
        std::size_t first = line.find_first_not_of(" \t\r");
        if (first != 0 && first != std::string_view::npos && line[first] != '#' && line[first] != ';')
            return file_error(name, number, "indented line: remove the leading spaces");
        start = end + 1;
    }
    return {};
}

Result<void> parse_text(Policy& policy, const std::string& name, const std::string& text) {
    if (auto lines = check_lines(name, text); !lines)
        return lines;
    ParseState state{&policy, {}, {}};
    int line = ini_parse_string(text.c_str(), on_ini_value, &state);
    if (line > 0)
        return file_error(name, static_cast<std::size_t>(line),
                          state.error.empty() ? "expected '[Section]' or 'Key = value'" : state.error);
    if (line < 0)
        return make_error(ErrorCode::Internal, name + ": out of memory while parsing");
    return {};
}

// Policy files steer a root daemon: like sshd's StrictModes, refuse one that
// someone other than root could have written.
Result<void> check_owner_and_mode(const std::string& name, const struct stat& st) {
    if (st.st_uid != 0 || (st.st_mode & (S_IWGRP | S_IWOTH)) != 0)
        return make_error(ErrorCode::AccessDenied,
                          name + ": must be owned by root and writable only by root "
                                 "(chown root:root; chmod go-w)");
    return {};
}

// Reads a policy file; sets *absent instead when it does not exist and is
// optional (only the main file is).
Result<std::string> read_policy_file(const std::filesystem::path& path, bool optional, bool* absent) {
    const std::string name = path.string();
    UniqueFd fd(open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY));
    if (!fd.valid()) {
        if (errno == ENOENT && optional) {
            *absent = true;
            return std::string();
        }
        return make_error(ErrorCode::Io, name + ": cannot open: " + std::strerror(errno));
    }
    struct stat st {};
    if (fstat(fd.get(), &st) != 0)
        return make_error(ErrorCode::Io, name + ": cannot stat: " + std::strerror(errno));
    if (!S_ISREG(st.st_mode))
        return make_error(ErrorCode::InvalidArgument, name + ": not a regular file");
    if (auto owner = check_owner_and_mode(name, st); !owner)
        return owner.error();
    if (static_cast<std::size_t>(st.st_size) > kMaxPolicyFileBytes)
        return make_error(ErrorCode::InvalidArgument, name + ": larger than 64 KiB");
    std::string text(static_cast<std::size_t>(st.st_size), '\0');
    std::size_t done = 0;
    while (done < text.size()) {
        ssize_t n = read(fd.get(), text.data() + done, text.size() - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return make_error(ErrorCode::Io, name + ": cannot read: " + std::strerror(errno));
        if (n == 0)
            break;
        done += static_cast<std::size_t>(n);
    }
    text.resize(done);
    if (text.find('\0') != std::string::npos)
        return make_error(ErrorCode::InvalidArgument, name + ": contains a NUL byte");
    return text;
}

Result<void> parse_file(Policy& policy, const std::filesystem::path& path, bool optional) {
    bool absent = false;
    auto text = read_policy_file(path, optional, &absent);
    if (!text)
        return text.error();
    if (absent)
        return {};
    return parse_text(policy, path.string(), *text);
}

Result<std::vector<std::filesystem::path>> list_dropins(const std::filesystem::path& dir) {
    std::vector<std::filesystem::path> files;
    std::error_code ec;
    if (!std::filesystem::exists(dir, ec))
        return files;
    struct stat st {};
    if (stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
        return make_error(ErrorCode::InvalidArgument, dir.string() + ": not a directory");
    if (auto owner = check_owner_and_mode(dir.string(), st); !owner)
        return owner.error();
    for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        const auto& file = it->path();
        if (file.extension() == ".conf" && file.filename().string()[0] != '.')
            files.push_back(file);
    }
    if (ec)
        return make_error(ErrorCode::Io, dir.string() + ": cannot list: " + ec.message());
    std::sort(files.begin(), files.end());
    return files;
}

Result<void> parse_defaults(Policy& policy) {
    for (const auto& file : policy_defaults::kEmbeddedFiles) {
        auto parsed = parse_text(policy, "(built-in) " + std::string(file.name), std::string(file.contents));
        if (!parsed)
            return make_error(ErrorCode::Internal, parsed.error().message);
    }
    return {};
}

const char* yes_no(bool value) { return value ? "yes" : "no"; }

}  // namespace

Result<Policy> load_policy(const PolicyPaths& paths) {
    Policy policy;
    if (auto defaults = parse_defaults(policy); !defaults)
        return defaults.error();
    if (auto main_file = parse_file(policy, paths.config_file, true); !main_file)
        return main_file.error();
    auto dropins = list_dropins(paths.dropin_dir);
    if (!dropins)
        return dropins.error();
    for (const auto& file : *dropins)
        if (auto parsed = parse_file(policy, file, false); !parsed)
            return parsed.error();
    return policy;
}

std::string describe_policy(const Policy& policy) {
    std::ostringstream out;
    out << "[Recovery]\n"
        << "Enabled = " << yes_no(policy.enabled) << "\n"
        << "Services =";
    for (const auto& service : policy.services)
        out << " " << service;
    out << "\nAllowRemote = " << yes_no(policy.allow_remote) << "\n"
        << "AllowGroups =";
    for (const auto& group : policy.allow_groups)
        out << " " << group;
    out << "\nAllowRoot = " << yes_no(policy.allow_root) << "\n"
        << "MinUid = " << policy.min_uid << "\n"
        << "FlowTimeoutSec = " << policy.flow_timeout.count() << "\n"
        << "AfterReset = "
        << (policy.after_reset == AfterReset::Continue ? "continue" : "sign-in-again") << "\n"
        << "\n[Password]\n"
        << "MinLength = " << policy.password.min_length << "\n"
        << "MaxLength = " << policy.password.max_length << "\n"
        << "CheckBlocklist = " << yes_no(policy.password.check_blocklist) << "\n"
        << "RememberLast = " << policy.password.remember_last << "\n"
        << "\n[Limits]\n"
        << "MaxOpenFlows = " << policy.limits.max_open_flows << "\n"
        << "MaxFlowsPerUser = " << policy.limits.max_per_user << "\n"
        << "MaxFlowsPerTty = " << policy.limits.max_per_tty << "\n"
        << "MaxFlowsPerRemoteHost = " << policy.limits.max_per_remote_host << "\n";
    const AttemptLimits& attempts = policy.attempt_limits;
    for (const auto& [suffix, limit] : {std::pair{"PerUser", &attempts.per_user},
                                        std::pair{"PerSource", &attempts.per_source},
                                        std::pair{"Total", &attempts.total}})
        out << "MaxFailures" << suffix << " = " << limit->max_failures << "\n"
            << "FailureWindow" << suffix << "Sec = " << limit->window.count() << "\n"
            << "Lockout" << suffix << "Sec = " << limit->lockout.count() << "\n";
    out << "MaxLockoutSec = " << attempts.max_lockout.count() << "\n"
        << "\n[Admin]\n"
        << "Groups =";
    for (const auto& group : policy.admin.groups)
        out << " " << group;
    out << "\nApprovalCodeLifetimeSec = " << policy.admin.approval_code_lifetime.count() << "\n"
        << "RequestLifetimeSec = " << policy.admin.request_lifetime.count() << "\n"
        << "MaxOpenRequestsPerUser = " << policy.admin.max_open_requests_per_user << "\n"
        << "MaxOpenRequestsPerSource = " << policy.admin.max_open_requests_per_source << "\n"
        << "MaxOpenRequests = " << policy.admin.max_open_requests << "\n"
        << "NotifyHook =" << (policy.admin.notify_hook.empty() ? "" : " ") << policy.admin.notify_hook << "\n"
        << "NotifyHookTimeoutSec = " << policy.admin.notify_hook_timeout.count() << "\n"
        << "\n[Daemon]\n"
        << "IdleExitSec = " << policy.daemon.idle_exit.count() << "\n";
    return out.str();
}

}  // namespace recoveryd
