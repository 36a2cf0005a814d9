#include "common/Validation.h"

#include <cstdint>
#include <string>

namespace recoveryd {

namespace {

// One decoded UTF-8 sequence: its length in bytes (0 when malformed, also
// overlong forms, surrogates and code points above U+10FFFF) and its value.
struct CodePoint {
    std::size_t length = 0;
    std::uint32_t value = 0;
};

CodePoint decode_utf8(std::string_view s, std::size_t i) {
    const auto byte = [&](std::size_t k) { return static_cast<std::uint8_t>(s[k]); };
    const std::uint8_t b0 = byte(i);
    if (b0 < 0x80)
        return {1, b0};
    std::size_t len = 0;
    std::uint32_t cp = 0;
    if ((b0 & 0xE0) == 0xC0) { len = 2; cp = b0 & 0x1F; }
    else if ((b0 & 0xF0) == 0xE0) { len = 3; cp = b0 & 0x0F; }
    else if ((b0 & 0xF8) == 0xF0) { len = 4; cp = b0 & 0x07; }
    else return {};
    if (i + len > s.size())
        return {};
    for (std::size_t k = 1; k < len; ++k) {
        if ((byte(i + k) & 0xC0) != 0x80)
            return {};
        cp = (cp << 6) | (byte(i + k) & 0x3F);
    }
    static constexpr std::uint32_t kMinForLength[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMinForLength[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return {};
    return {len, cp};
}

// C0, DEL and C1: a terminal or log viewer may act on them.
bool is_control(std::uint32_t cp) {
    return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F);
}

// Bidirectional controls and marks reorder what a reader sees in a log line
// ("Trojan Source"): ALM, LRM, RLM, the embeddings and overrides, the isolates.
bool is_bidi_control(std::uint32_t cp) {
    return cp == 0x061C || cp == 0x200E || cp == 0x200F || (cp >= 0x202A && cp <= 0x202E) ||
           (cp >= 0x2066 && cp <= 0x2069);
}

}  // namespace

bool is_valid_utf8(std::string_view text) {
    for (std::size_t i = 0; i < text.size();) {
        const std::size_t len = decode_utf8(text, i).length;
        if (len == 0)
            return false;
        i += len;
    }
    return true;
}

Result<void> validate_user_name(std::string_view name) {
    const auto invalid = [&](const char* why) {
        return make_error(ErrorCode::InvalidArgument, std::string("invalid user name: ") + why);
    };
    if (name.empty())
        return invalid("it is empty");
    if (name.size() > kMaxUserNameBytes)
        return invalid("it is longer than 32 characters");
    for (std::size_t i = 0; i < name.size(); ++i) {
        const char c = name[i];
        const bool lower = c >= 'a' && c <= 'z';
        const bool digit = c >= '0' && c <= '9';
        const bool ok = lower || c == '_' || (i > 0 && (digit || c == '-')) ||
                        (c == '$' && i + 1 == name.size() && i > 0);
        if (!ok)
            return invalid("use lower-case letters, digits, '_' and '-', starting with a letter or '_'");
    }
    return {};
}

Result<void> validate_text(std::string_view field, std::string_view text, std::size_t max_bytes) {
    const auto invalid = [&](const std::string& why) {
        return make_error(ErrorCode::InvalidArgument, std::string(field) + " " + why);
    };
    if (text.size() > max_bytes)
        return invalid("is longer than " + std::to_string(max_bytes) + " bytes");
    if (!is_valid_utf8(text))
        return invalid("is not valid UTF-8");
    for (std::size_t i = 0; i < text.size();) {
        const CodePoint cp = decode_utf8(text, i);
        if (is_control(cp.value))
            return invalid("contains a control character");
        if (is_bidi_control(cp.value))
            return invalid("contains a bidirectional control character");
        i += cp.length;
    }
    return {};
}

Result<void> validate_lines(std::string_view field, std::string_view text, std::size_t max_bytes) {
    if (text.size() > max_bytes)
        return make_error(ErrorCode::InvalidArgument,
                          std::string(field) + " is longer than " + std::to_string(max_bytes) + " bytes");
    for (std::size_t start = 0;;) {
        const std::size_t end = text.find('\n', start);
        if (auto line = validate_text(field, text.substr(start, end - start), max_bytes); !line)
            return line;
        if (end == std::string_view::npos)
            return {};
        start = end + 1;
    }
}

}  // namespace recoveryd
