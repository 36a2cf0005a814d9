#include "daemon/methods/ApprovalCodes.h"

#include <algorithm>
#include <cctype>

#include "daemon/methods/Crockford.h"

namespace recoveryd {

std::string generate_request_id() {
    return std::string(crockford::random_code(kRequestIdCharacters, kRequestIdCharacters).view());
}

std::string format_request_id(std::string_view canonical) {
    return std::string(canonical.substr(0, 3)) + "-" + std::string(canonical.substr(3));
}

Result<std::string> normalize_request_id(std::string_view typed) {
    auto id = crockford::normalize(typed, kRequestIdCharacters,
                                   "a request id is six letters and digits, like K7Q-4MZ");
    if (!id)
        return id.error();
    return std::string(id->view());
}

Secret generate_approval_code() { return crockford::random_code(kApprovalCodeCharacters, 4); }

Result<Secret> normalize_approval_code(std::string_view typed) {
    return crockford::normalize(typed, kApprovalCodeCharacters, "that is not an approval code");
}

Digest hash_approval_code(const SecretKey& key, std::string_view user, std::int64_t uid, const Secret& normalized) {
    const std::string account = std::to_string(uid);
    return key.keyed_hash({"approval-code-v1", user, account, normalized.view()});
}

Secret generate_temporary_password(std::size_t min_length) {
    constexpr std::size_t kGroup = 5;
    // n groups are 5n characters plus n-1 hyphens.
    std::size_t characters = 20;
    while (characters + characters / kGroup - 1 < min_length)
        characters += kGroup;
    Secret upper = crockford::random_code(characters, kGroup);
    SensitiveString lower(upper.view());
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); });
    return Secret(lower);
}

}  // namespace recoveryd
