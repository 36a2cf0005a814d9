#include "daemon/methods/Crockford.h"

#include <sodium.h>
#include <string>

namespace recoveryd::crockford {
namespace {

constexpr std::string_view kAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
constexpr std::size_t kMaxCharacters = 128;

// Crockford's decoding rules; 0 when the character is not part of a code.
char canonical_character(char c) {
    if (c >= 'a' && c <= 'z')
        c = static_cast<char>(c - 'a' + 'A');
    if (c == 'O')
        return '0';
    if (c == 'I' || c == 'L')
        return '1';
    return kAlphabet.find(c) == std::string_view::npos ? 0 : c;
}

}  // namespace

Secret random_code(std::size_t characters, std::size_t group) {
    char text[2 * kMaxCharacters];
    std::size_t length = 0;
    for (std::size_t i = 0; i < characters && i < kMaxCharacters; ++i) {
        if (i > 0 && i % group == 0)
            text[length++] = '-';
        text[length++] = kAlphabet[randombytes_uniform(static_cast<uint32_t>(kAlphabet.size()))];
    }
    Secret code(std::string_view(text, length));
    sodium_memzero(text, sizeof text);
    return code;
}

Result<Secret> normalize(std::string_view typed, std::size_t characters, const char* what) {
    char canonical[kMaxCharacters];
    std::size_t length = 0;
    bool valid = characters <= kMaxCharacters;
    for (char c : typed) {
        if (!valid)
            break;
        if (c == ' ' || c == '-')
            continue;
        const char mapped = canonical_character(c);
        valid = mapped != 0 && length < characters;
        if (valid)
            canonical[length++] = mapped;
    }
    Result<Secret> result = make_error(ErrorCode::InvalidArgument, what);
    if (valid && length == characters)
        result = Secret(std::string_view(canonical, length));
    sodium_memzero(canonical, sizeof canonical);
    return result;
}

}  // namespace recoveryd::crockford
