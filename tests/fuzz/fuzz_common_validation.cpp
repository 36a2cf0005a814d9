// The checks at every trust boundary, on any bytes: a user name is accepted
// exactly when it matches the documented syntax; accepted text is UTF-8
// without control characters (C0, DEL, C1) or bidirectional controls.
#include <cstddef>
#include <cstdint>
#include <regex>
#include <string>
#include <string_view>

#include "common/Validation.h"
#include "tests/fuzz/FuzzCheck.h"

namespace {

// The code points of text already known to be valid UTF-8, decoded here on
// their own so the property does not trust the code it checks.
template <typename Visit>
void for_each_code_point(std::string_view text, Visit visit) {
    for (std::size_t i = 0; i < text.size();) {
        const auto lead = static_cast<unsigned char>(text[i]);
        const std::size_t length = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
        std::uint32_t value = length == 1 ? lead : lead & (0x7F >> length);
        for (std::size_t k = 1; k < length; ++k)
            value = (value << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3F);
        visit(value);
        i += length;
    }
}

bool may_reach_a_log(std::uint32_t cp) {
    const bool control = cp < 0x20 || (cp >= 0x7F && cp <= 0x9F);
    const bool bidi = cp == 0x061C || cp == 0x200E || cp == 0x200F || (cp >= 0x202A && cp <= 0x202E) ||
                      (cp >= 0x2066 && cp <= 0x2069);
    return !control && !bidi;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string bytes(reinterpret_cast<const char*>(data), size);

    static const std::regex kUserName("[a-z_][a-z0-9_-]*[$]?");
    const bool matches = bytes.size() <= recoveryd::kMaxUserNameBytes && std::regex_match(bytes, kUserName);
    FUZZ_CHECK(recoveryd::validate_user_name(bytes).ok() == matches);

    if (recoveryd::validate_text("answer", bytes, 256).ok()) {
        FUZZ_CHECK(bytes.size() <= 256);
        FUZZ_CHECK(recoveryd::is_valid_utf8(bytes));
        for_each_code_point(bytes, [](std::uint32_t cp) { FUZZ_CHECK(may_reach_a_log(cp)); });
    } else if (bytes.size() <= 256 && recoveryd::is_valid_utf8(bytes)) {
        // Refused only for a reason: some code point that may not reach a log.
        bool any = false;
        for_each_code_point(bytes, [&](std::uint32_t cp) { any = any || !may_reach_a_log(cp); });
        FUZZ_CHECK(any);
    }
    return 0;
}
