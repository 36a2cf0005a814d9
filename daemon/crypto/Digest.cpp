#include "daemon/crypto/Digest.h"

#include <sodium.h>

namespace recoveryd {

Result<void> init_crypto() {
    if (sodium_init() < 0)
        return make_error(ErrorCode::Internal, "libsodium could not be initialised");
    return {};
}

bool digests_equal(const Digest& a, const Digest& b) {
    return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

Digest hash_parts(std::initializer_list<std::string_view> parts, const unsigned char* key, std::size_t key_size) {
    crypto_generichash_state state;
    crypto_generichash_init(&state, key, key_size, sizeof(Digest));
    for (std::string_view part : parts) {
        const std::uint64_t length = part.size();
        unsigned char prefix[8];
        for (int i = 0; i < 8; ++i)
            prefix[i] = static_cast<unsigned char>(length >> (8 * i));
        crypto_generichash_update(&state, prefix, sizeof prefix);
        crypto_generichash_update(&state, reinterpret_cast<const unsigned char*>(part.data()), part.size());
    }
    Digest digest{};
    crypto_generichash_final(&state, digest.data(), digest.size());
    sodium_memzero(&state, sizeof state);
    return digest;
}

}  // namespace recoveryd
