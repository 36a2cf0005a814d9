#include "common/UntrustedText.h"

#include <cstdint>
#include <cstdio>

namespace recoveryd {
namespace {

struct CodePoint {
    char32_t value = 0;
    std::size_t length = 0;  // 0: not a valid UTF-8 sequence
};

// The code point at the start of `text`, refusing overlong forms, surrogates
// and values beyond U+10FFFF.
CodePoint decode(std::string_view text) {
    const auto byte = [&](std::size_t i) { return static_cast<std::uint8_t>(text[i]); };
    const std::uint8_t lead = byte(0);
    if (lead < 0x80)
        return {lead, 1};
    std::size_t length = 0;
    char32_t value = 0;
    char32_t minimum = 0;
    if ((lead & 0xE0) == 0xC0) {
        length = 2, value = lead & 0x1F, minimum = 0x80;
    } else if ((lead & 0xF0) == 0xE0) {
        length = 3, value = lead & 0x0F, minimum = 0x800;
    } else if ((lead & 0xF8) == 0xF0) {
        length = 4, value = lead & 0x07, minimum = 0x10000;
    } else {
        return {};
    }
    if (text.size() < length)
        return {};
    for (std::size_t i = 1; i < length; ++i) {
        if ((byte(i) & 0xC0) != 0x80)
            return {};
        value = (value << 6) | (byte(i) & 0x3F);
    }
    if (value < minimum || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF))
        return {};
    return {value, length};
}

// Code points that control a terminal or reorder text on screen.
bool must_escape(char32_t c) {
    return c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == 0x061C || c == 0x200E || c == 0x200F ||
           (c >= 0x2028 && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
}

std::string byte_escape(std::uint8_t byte) {
    char text[8];
    std::snprintf(text, sizeof text, "\\x%02X", byte);
    return text;
}

std::string code_point_escape(char32_t c) {
    char text[16];
    std::snprintf(text, sizeof text, "\\u{%04X}", static_cast<unsigned>(c));
    return text;
}

}  // namespace

std::string escape_untrusted(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    while (!text.empty()) {
        const CodePoint c = decode(text);
        if (c.length == 0) {
            out += byte_escape(static_cast<std::uint8_t>(text[0]));
            text.remove_prefix(1);
            continue;
        }
        if (c.value == '\\' || c.value == '"')
            out += '\\', out += static_cast<char>(c.value);
        else if (c.value == '\n')
            out += "\\n";
        else if (c.value == '\t')
            out += "\\t";
        else if (must_escape(c.value))
            out += code_point_escape(c.value);
        else
            out.append(text.substr(0, c.length));
        text.remove_prefix(c.length);
    }
    return out;
}

std::string quote_untrusted(std::string_view text) {
    return '"' + escape_untrusted(text) + '"';
}

}  // namespace recoveryd
