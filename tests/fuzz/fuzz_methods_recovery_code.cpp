// Whatever a person types at "Recovery code:": normalizing never crashes,
// and what it accepts is 16 Crockford base32 characters that normalize to
// themselves, also written in groups.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "daemon/methods/RecoveryCodes.h"
#include "tests/fuzz/FuzzCheck.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view typed(reinterpret_cast<const char*>(data), size);
    const auto code = recoveryd::normalize_recovery_code(typed);
    if (!code)
        return 0;
    const std::string_view canonical = code->view();
    FUZZ_CHECK(canonical.size() == recoveryd::kRecoveryCodeCharacters);
    FUZZ_CHECK(canonical.find_first_not_of("0123456789ABCDEFGHJKMNPQRSTVWXYZ") == std::string_view::npos);

    const auto again = recoveryd::normalize_recovery_code(canonical);
    FUZZ_CHECK(again.ok() && again->view() == canonical);
    std::string grouped;
    for (std::size_t i = 0; i < canonical.size(); i += 4)
        grouped.append(i == 0 ? "" : "-").append(canonical.substr(i, 4));
    const auto from_groups = recoveryd::normalize_recovery_code(grouped);
    FUZZ_CHECK(from_groups.ok() && from_groups->view() == canonical);
    return 0;
}
