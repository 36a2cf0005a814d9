#include "daemon/methods/RecoveryCodes.h"

#include <array>
#include <string>
#include <sodium.h>

namespace recoveryd {
namespace {

constexpr std::string_view kAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
constexpr std::size_t kGroup = 4;

Secret make_code() {
    std::array<unsigned char, 10> random{};
    randombytes_buf(random.data(), random.size());
    char text[kRecoveryCodeCharacters + kRecoveryCodeCharacters / kGroup];
    std::size_t length = 0;
    for (std::size_t i = 0; i < kRecoveryCodeCharacters; ++i) {
        // Character i is bits [5i, 5i+5) of the 80 random bits.
        const std::size_t bit = 5 * i;
        const unsigned pair = (random[bit / 8] << 8) | (bit / 8 + 1 < random.size() ? random[bit / 8 + 1] : 0);
        const unsigned value = (pair >> (11 - bit % 8)) & 0x1f;
        if (i > 0 && i % kGroup == 0)
            text[length++] = '-';
        text[length++] = kAlphabet[value];
    }
    Secret code(std::string_view(text, length));
    sodium_memzero(random.data(), random.size());
    sodium_memzero(text, sizeof text);
    return code;
}

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

std::vector<Secret> generate_recovery_codes() {
    std::vector<Secret> codes;
    codes.reserve(kRecoveryCodesPerEnrollment);
    for (std::size_t i = 0; i < kRecoveryCodesPerEnrollment; ++i)
        codes.push_back(make_code());
    return codes;
}

Result<Secret> normalize_recovery_code(std::string_view typed) {
    char canonical[kRecoveryCodeCharacters];
    std::size_t length = 0;
    bool valid = true;
    for (char c : typed) {
        if (c == ' ' || c == '-')
            continue;
        const char mapped = canonical_character(c);
        if (mapped == 0 || length == kRecoveryCodeCharacters) {
            valid = false;
            break;
        }
        canonical[length++] = mapped;
    }
    Result<Secret> result = make_error(ErrorCode::InvalidArgument, "that is not a recovery code");
    if (valid && length == kRecoveryCodeCharacters)
        result = Secret(std::string_view(canonical, length));
    sodium_memzero(canonical, sizeof canonical);
    return result;
}

Digest hash_recovery_code(const SecretKey& key, std::string_view user, std::int64_t uid, const Secret& normalized) {
    const std::string account = std::to_string(uid);
    return key.keyed_hash({"recovery-code-v2", user, account, normalized.view()});
}

}  // namespace recoveryd
