// The shadow file parser on any text: finding and replacing a user's entry
// never crashes, and a replacement changes that user's line only, keeping
// every other byte (also lines it cannot parse) and every aging field but
// the last-change day.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "daemon/shadow/AccountState.h"
#include "daemon/shadow/ShadowText.h"
#include "tests/fuzz/FuzzCheck.h"

namespace {

std::vector<std::string_view> lines_of(std::string_view text) {
    std::vector<std::string_view> lines;
    while (!text.empty()) {
        const std::size_t end = text.find('\n');
        const std::size_t length = end == std::string_view::npos ? text.size() : end + 1;
        lines.push_back(text.substr(0, length));
        text.remove_prefix(length);
    }
    return lines;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0)
        return 0;
    static constexpr std::string_view kUsers[] = {"alice", "bob", "root", "a"};
    const std::string_view user = kUsers[data[0] % 4];
    const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
    constexpr std::string_view kHash = "$y$j9T$salt$newhash";

    const auto before_entry = recoveryd::find_shadow_entry(text, user);
    if (before_entry)
        (void)recoveryd::account_state(*before_entry, 20000);
    const auto updated = recoveryd::replace_password_fields(text, user, kHash, 20000);
    if (!updated)
        return 0;

    const auto before = lines_of(text), after = lines_of(*updated);
    FUZZ_CHECK(before.size() == after.size());
    const std::string prefix = std::string(user) + ":";
    std::size_t changed = 0;
    for (std::size_t i = 0; i < before.size() && i < after.size(); ++i) {
        if (before[i] == after[i])
            continue;
        FUZZ_CHECK(before[i].substr(0, prefix.size()) == prefix);
        ++changed;
    }
    FUZZ_CHECK(changed <= 1);
    const auto entry = recoveryd::find_shadow_entry(*updated, user);
    FUZZ_CHECK(entry.ok() && std::string_view(entry->password_hash) == kHash);
    FUZZ_CHECK(entry->last_change_day == 20000);
    FUZZ_CHECK(before_entry.ok());
    FUZZ_CHECK(entry->max_days == before_entry->max_days && entry->inactive_days == before_entry->inactive_days &&
               entry->expire_day == before_entry->expire_day);
    return 0;
}
