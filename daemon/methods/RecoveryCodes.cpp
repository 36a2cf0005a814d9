#include "daemon/methods/RecoveryCodes.h"

#include <string>

#include "daemon/methods/Crockford.h"

namespace recoveryd {

std::vector<Secret> generate_recovery_codes() {
    std::vector<Secret> codes;
    codes.reserve(kRecoveryCodesPerEnrollment);
    for (std::size_t i = 0; i < kRecoveryCodesPerEnrollment; ++i)
        codes.push_back(crockford::random_code(kRecoveryCodeCharacters, 4));
    return codes;
}

Result<Secret> normalize_recovery_code(std::string_view typed) {
    return crockford::normalize(typed, kRecoveryCodeCharacters, "that is not a recovery code");
}
Digest hash_recovery_code(const SecretKey& key, std::string_view user, std::int64_t uid, const Secret& normalized) {
    const std::string account = std::to_string(uid);
    return key.keyed_hash({"recovery-code-v2", user, account, normalized.view()});
}

}  // namespace recoveryd
