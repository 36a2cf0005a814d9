#include "daemon/shadow/HashPolicy.h"

#include <cctype>
#include <charconv>
#include <map>
#include <optional>
#include <string_view>
#include <system_error>
#include <vector>

#include "common/ConfigText.h"

namespace recoveryd {
namespace {

namespace fs = std::filesystem;

// What pam_unix accepts for rounds=N with each method (its _set_ctrl).
struct CostRange {
    std::string_view prefix;
    unsigned long min, max;
};
constexpr CostRange kPamCostRanges[] = {
    {"$y$", 3, 11}, {"$gy$", 3, 11}, {"$2b$", 4, 31}, {"$6$", 1000, 9999999}, {"$5$", 1000, 9999999},
};

struct PamMethod {
    std::string_view option;
    std::string_view prefix;  // empty: too weak for new passwords
};
constexpr PamMethod kPamMethods[] = {
    {"yescrypt", "$y$"}, {"gost_yescrypt", "$gy$"}, {"sha512", "$6$"}, {"sha256", "$5$"},
    {"blowfish", "$2b$"}, {"md5", ""},             {"bigcrypt", ""},
};

// A setting read from a file, with where it came from for error messages.
struct Setting {
    std::string value;
    std::string where;  // "path:line"
};

struct PamUnixSettings {
    std::optional<Setting> method;  // the option's name, e.g. "yescrypt"
    std::optional<Setting> rounds;
};

Error config_error(const std::string& where, const std::string& what) {
    return make_error(ErrorCode::InvalidArgument, where + ": " + what);
}

std::optional<unsigned long> parse_number(std::string_view text) {
    unsigned long value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || error != std::errc() || end != text.data() + text.size())
        return std::nullopt;
    return value;
}

// PAM's logical lines, numbered by where they start: '#' starts a comment
// anywhere, and a backslash at the end of a line joins the next one.
std::vector<std::pair<std::size_t, std::string>> pam_lines(std::string_view text) {
    std::vector<std::pair<std::size_t, std::string>> lines;
    std::string pending;
    std::size_t number = 0, pending_start = 0;
    for (const std::string_view text_line : split_lines(text)) {
        std::string line(text_line);
        ++number;
        if (pending.empty())
            pending_start = number;
        if (auto hash = line.find('#'); hash != std::string::npos)
            line.erase(hash);
        const bool continued = !line.empty() && line.back() == '\\';
        pending += continued ? line.substr(0, line.size() - 1) + " " : line;
        if (!continued) {
            lines.emplace_back(pending_start, std::move(pending));
            pending.clear();
        }
    }
    if (!pending.empty())
        lines.emplace_back(pending_start, std::move(pending));
    return lines;
}

// Whitespace-separated tokens; one starting with '[' runs to its ']', as a
// control field "[success=1 default=ignore]" does.
std::vector<std::string_view> pam_tokens(std::string_view line) {
    std::vector<std::string_view> tokens;
    constexpr std::string_view kSpace = " \t\r\v\f";
    for (std::size_t at = line.find_first_not_of(kSpace); at != std::string_view::npos;
         at = line.find_first_not_of(kSpace, at)) {
        std::size_t end = line[at] == '[' ? line.find(']', at) : at;
        end = end == std::string_view::npos ? line.size() : line.find_first_of(kSpace, end);
        end = end == std::string_view::npos ? line.size() : end;
        tokens.push_back(line.substr(at, end - at));
        at = end;
    }
    return tokens;
}

bool equals_ignoring_case(std::string_view a, std::string_view b) {
    if (a.size() != b.size())
        return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i])))
            return false;
    return true;
}

bool is_pam_unix_password_line(const std::vector<std::string_view>& tokens) {
    if (tokens.size() < 3)
        return false;
    std::string_view type = tokens[0];
    if (type.front() == '-')  // "-password": skip quietly if the module is absent
        type.remove_prefix(1);
    return equals_ignoring_case(type, "password") && fs::path(tokens[2]).filename() == "pam_unix.so";
}

// The first pam_unix password line's method and rounds; as in pam_unix, a
// later method option replaces an earlier one.
Result<PamUnixSettings> read_pam_unix_settings(const fs::path& path) {
    auto text = read_config_file(path);
    if (!text)
        return text.error();
    PamUnixSettings settings;
    if (!*text)
        return settings;
    for (const auto& [number, line] : pam_lines(**text)) {
        const auto tokens = pam_tokens(line);
        if (!is_pam_unix_password_line(tokens))
            continue;
        const std::string where = path.string() + ":" + std::to_string(number);
        for (std::size_t i = 3; i < tokens.size(); ++i) {
            const std::string_view option = tokens[i];
            for (const auto& method : kPamMethods)
                if (option == method.option)
                    settings.method = Setting{std::string(option), where};
            if (option.substr(0, 7) == "rounds=")
                settings.rounds = Setting{std::string(option.substr(7)), where};
        }
        break;
    }
    return settings;
}

Result<HashMethod> method_from_pam(const Setting& method) {
    for (const auto& known : kPamMethods) {
        if (method.value != known.option)
            continue;
        if (known.prefix.empty())
            return config_error(method.where, "pam_unix's " + method.value +
                                                  " method is too weak for new passwords; use yescrypt");
        return HashMethod{std::string(known.prefix), 0};
    }
    return make_error(ErrorCode::Internal, "unknown pam_unix method " + method.value);
}

Result<void> apply_pam_rounds(HashMethod& method, const Setting& rounds) {
    for (const auto& range : kPamCostRanges) {
        if (method.prefix != range.prefix)
            continue;
        const auto value = parse_number(rounds.value);
        if (!value || *value < range.min || *value > range.max)
            return config_error(rounds.where, "pam_unix option rounds=" + rounds.value + " is out of range for " +
                                                  method.prefix + " hashes; use " + std::to_string(range.min) +
                                                  " to " + std::to_string(range.max));
        method.cost = *value;
        return {};
    }
    return {};
}

// login.defs: "KEY value" lines; '#' starts a comment.
Result<std::map<std::string, std::string>> read_login_defs(const fs::path& path) {
    auto text = read_config_file(path);
    if (!text)
        return text.error();
    std::map<std::string, std::string> values;
    const std::string contents = text->value_or("");
    for (const std::string_view line : split_lines(contents)) {
        const auto words = split_words(line);
        if (words.size() >= 2 && words[0][0] != '#')
            values[std::string(words[0])] = words[1];
    }
    return values;
}

Result<unsigned long> read_cost(const std::map<std::string, std::string>& defs, const std::string& key,
                                unsigned long min, unsigned long max, const fs::path& path) {
    auto it = defs.find(key);
    if (it == defs.end())
        return 0UL;
    const auto value = parse_number(it->second);
    if (!value || *value < min || *value > max)
        return config_error(path.string(), key + " " + it->second + " is not a number from " +
                                               std::to_string(min) + " to " + std::to_string(max));
    return *value;
}

Result<HashMethod> method_from_login_defs(const fs::path& path) {
    const auto defs = read_login_defs(path);
    if (!defs)
        return defs.error();
    const auto it = defs->find("ENCRYPT_METHOD");
    const std::string method = it != defs->end() ? it->second : "YESCRYPT";
    HashMethod chosen;
    Result<unsigned long> cost = 0UL;
    if (method == "YESCRYPT") {
        chosen.prefix = "$y$";
        cost = read_cost(*defs, "YESCRYPT_COST_FACTOR", 1, 11, path);
    } else if (method == "SHA512" || method == "SHA256") {
        chosen.prefix = method == "SHA512" ? "$6$" : "$5$";
        cost = read_cost(*defs, "SHA_CRYPT_MIN_ROUNDS", 1000, 999999999, path);
    } else {
        return config_error(path.string(),
                            "ENCRYPT_METHOD " + method + " is not supported; use YESCRYPT, SHA512 or SHA256");
    }
    if (!cost)
        return cost.error();
    chosen.cost = *cost;
    return chosen;
}

}  // namespace

Result<HashMethod> read_hash_method(const HashPolicyFiles& files) {
    const auto pam = read_pam_unix_settings(files.pam_password);
    if (!pam)
        return pam.error();
    auto method = pam->method ? method_from_pam(*pam->method) : method_from_login_defs(files.login_defs);
    if (!method)
        return method;
    if (pam->rounds)
        if (auto applied = apply_pam_rounds(*method, *pam->rounds); !applied)
            return applied.error();
    return method;
}

}  // namespace recoveryd
