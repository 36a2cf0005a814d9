#include "daemon/shadow/ShadowText.h"

#include <charconv>
#include <climits>
#include <vector>

namespace recoveryd {
namespace {

// Calls visit(line, start) for each line, without its '\n'.
template <typename Visit>
void for_each_line(std::string_view text, Visit visit) {
    for (std::size_t start = 0; start < text.size();) {
        std::size_t end = text.find('\n', start);
        if (end == std::string_view::npos)
            end = text.size();
        visit(text.substr(start, end - start), start);
        start = end + 1;
    }
}

bool belongs_to(std::string_view line, std::string_view user) {
    return line.size() > user.size() && line.substr(0, user.size()) == user && line[user.size()] == ':';
}

std::vector<std::string_view> split_fields(std::string_view line) {
    std::vector<std::string_view> fields;
    for (std::size_t start = 0;;) {
        std::size_t colon = line.find(':', start);
        fields.push_back(line.substr(start, colon == std::string_view::npos ? std::string_view::npos : colon - start));
        if (colon == std::string_view::npos)
            return fields;
        start = colon + 1;
    }
}

// A day-count field: empty, or -1 (struct spwd's "unset", as glibc and
// shadow-utils read it) is nullopt; other text, a sign or a number beyond
// what glibc keeps (an int) makes `malformed` true.
std::optional<long> parse_day_count(std::string_view field, bool& malformed) {
    if (field.empty() || field == "-1")
        return std::nullopt;
    long value = 0;
    const auto [end, error] = std::from_chars(field.data(), field.data() + field.size(), value);
    if (field[0] < '0' || field[0] > '9' || error != std::errc() || end != field.data() + field.size() ||
        value > INT_MAX) {
        malformed = true;
        return std::nullopt;
    }
    return value;
}

ShadowEntry parse_entry(std::string_view user, std::string_view line) {
    const auto fields = split_fields(line);
    const auto field = [&](std::size_t number) {  // 1-based, as shadow(5) counts
        return number <= fields.size() ? fields[number - 1] : std::string_view();
    };
    ShadowEntry entry;
    entry.name = std::string(user);
    entry.password_hash = SensitiveString(field(2));
    bool malformed = false;
    entry.last_change_day = parse_day_count(field(3), malformed);
    (void)parse_day_count(field(4), malformed);  // minimum age: only checked
    entry.max_days = parse_day_count(field(5), malformed);
    (void)parse_day_count(field(6), malformed);  // warning period: only checked
    entry.inactive_days = parse_day_count(field(7), malformed);
    entry.expire_day = parse_day_count(field(8), malformed);
    entry.malformed_number = malformed;
    return entry;
}

Error duplicate_error(std::string_view user) {
    return make_error(ErrorCode::Corrupt, "the shadow file has more than one line for " + std::string(user) +
                                              "; fix it with pwck before changing this password");
}

}  // namespace

Result<void> validate_shadow_field(std::string_view what, std::string_view value) {
    if (value.empty())
        return make_error(ErrorCode::InvalidArgument, std::string(what) + " is empty");
    for (unsigned char c : value)
        if (c == ':' || c < 0x20 || c == 0x7f)
            return make_error(ErrorCode::InvalidArgument,
                              std::string(what) + " contains ':' or a control character");
    return {};
}

Result<ShadowEntry> find_shadow_entry(std::string_view text, std::string_view user) {
    std::vector<std::string_view> matches;
    for_each_line(text, [&](std::string_view line, std::size_t) {
        if (belongs_to(line, user))
            matches.push_back(line);
    });
    if (matches.empty())
        return make_error(ErrorCode::NotFound, "no shadow entry for " + std::string(user));
    if (matches.size() > 1)
        return duplicate_error(user);
    return parse_entry(user, matches.front());
}

Result<SensitiveString> replace_password_fields(std::string_view text, std::string_view user,
                                            std::string_view new_hash, long days_since_epoch) {
    std::size_t found = 0, line_start = 0, line_size = 0;
    for_each_line(text, [&](std::string_view line, std::size_t start) {
        if (belongs_to(line, user)) {
            ++found;
            line_start = start;
            line_size = line.size();
        }
    });
    if (found == 0)
        return make_error(ErrorCode::NotFound,
                          "no shadow entry for " + std::string(user) + "; refusing to add one");
    if (found > 1)
        return duplicate_error(user);
    auto fields = split_fields(text.substr(line_start, line_size));
    if (fields.size() < 3)
        return make_error(ErrorCode::Corrupt, "the shadow entry for " + std::string(user) +
                                                  " is malformed; fix it with pwck first");
    const std::string days = std::to_string(days_since_epoch);
    fields[1] = new_hash;
    fields[2] = days;
    SensitiveString line;
    for (std::size_t i = 0; i < fields.size(); ++i)
        line.append(i ? ":" : "").append(fields[i]);

    SensitiveString out;
    out.reserve(text.size() - line_size + line.size());
    out.append(text.substr(0, line_start)).append(line).append(text.substr(line_start + line_size));
    return out;
}

}  // namespace recoveryd
