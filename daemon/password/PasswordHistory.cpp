#include "daemon/password/PasswordHistory.h"

namespace recoveryd {
namespace {

bool can_match(std::string_view hash) { return !hash.empty() && hash[0] != '!' && hash[0] != '*'; }

}  // namespace

Result<std::vector<Secret>> recent_password_hashes(Store& store, const PasswordPolicy& policy, std::string_view user,
                                                   std::int64_t uid, std::string_view current_hash) {
    std::vector<Secret> hashes;
    if (policy.remember_last == 0)
        return hashes;
    auto earlier = store.password_history(user, uid, policy.remember_last - 1);
    if (!earlier)
        return earlier.error();
    hashes.reserve(earlier->size() + 1);
    hashes.emplace_back(current_hash);
    for (Secret& hash : *earlier)
        hashes.push_back(std::move(hash));
    return hashes;
}

Result<void> remember_replaced_password(Store& store, const PasswordPolicy& policy, std::string_view user,
                                        std::int64_t uid, std::string_view replaced_hash, std::int64_t now) {
    if (!can_match(replaced_hash))
        return {};
    const std::size_t keep = policy.remember_last == 0 ? 0 : policy.remember_last - 1;
    return store.add_password_history(user, uid, replaced_hash, now, keep);
}

Secret replaced_hash_to_remember(const PasswordPolicy& policy, std::string_view replaced_hash) {
    return policy.remember_last > 1 && can_match(replaced_hash) ? Secret(replaced_hash) : Secret();
}

}  // namespace recoveryd
