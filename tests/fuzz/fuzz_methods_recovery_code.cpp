// Whatever a person types at "Recovery code:" or "Administrator's code:",
// and a request id an administrator types: normalizing never crashes, and
// what it accepts is exactly that many Crockford base32 characters that
// normalize to themselves, also written in groups.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "daemon/methods/ApprovalCodes.h"
#include "daemon/methods/RecoveryCodes.h"
#include "tests/fuzz/FuzzCheck.h"

namespace {

template <typename Normalize>
void check(std::string_view typed, std::size_t characters, Normalize normalize) {
    const auto code = normalize(typed);
    if (!code)
        return;
    const std::string canonical(code->view());
    FUZZ_CHECK(canonical.size() == characters);
    FUZZ_CHECK(canonical.find_first_not_of("0123456789ABCDEFGHJKMNPQRSTVWXYZ") == std::string::npos);

    const auto again = normalize(canonical);
    FUZZ_CHECK(again.ok() && again->view() == canonical);
    std::string grouped;
    for (std::size_t i = 0; i < canonical.size(); i += 3)
        grouped.append(i == 0 ? "" : "-").append(canonical.substr(i, 3));
    const auto from_groups = normalize(grouped);
    FUZZ_CHECK(from_groups.ok() && from_groups->view() == canonical);
}

// A request id as the codes' Secret answers: view().
struct Text {
    std::string text;
    std::string_view view() const { return text; }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view typed(reinterpret_cast<const char*>(data), size);
    check(typed, recoveryd::kRecoveryCodeCharacters, recoveryd::normalize_recovery_code);
    check(typed, recoveryd::kApprovalCodeCharacters, recoveryd::normalize_approval_code);
    check(typed, recoveryd::kRequestIdCharacters, [](std::string_view t) -> recoveryd::Result<Text> {
        auto id = recoveryd::normalize_request_id(t);
        if (!id)
            return id.error();
        return Text{*id};
    });
    return 0;
}
