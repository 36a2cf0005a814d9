// The checks at every trust boundary, on any bytes: a user name is accepted
// exactly when it matches the documented syntax; accepted text is UTF-8
// without control characters.
#include <cstddef>
#include <cstdint>
#include <regex>
#include <string>
#include <string_view>

#include "common/Validation.h"
#include "tests/fuzz/FuzzCheck.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string bytes(reinterpret_cast<const char*>(data), size);

    static const std::regex kUserName("[a-z_][a-z0-9_-]*[$]?");
    const bool matches = bytes.size() <= recoveryd::kMaxUserNameBytes && std::regex_match(bytes, kUserName);
    FUZZ_CHECK(recoveryd::validate_user_name(bytes).ok() == matches);

    if (recoveryd::validate_text("answer", bytes, 256).ok()) {
        FUZZ_CHECK(bytes.size() <= 256);
        FUZZ_CHECK(recoveryd::is_valid_utf8(bytes));
        for (const char c : bytes)
            FUZZ_CHECK(static_cast<unsigned char>(c) >= 0x20 && c != 0x7f);
    }
    return 0;
}
