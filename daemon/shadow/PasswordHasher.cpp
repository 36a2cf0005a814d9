#include "daemon/shadow/PasswordHasher.h"

#include <crypt.h>
#include <cstdlib>
#include <memory>
#include <sodium.h>

namespace recoveryd {
namespace {

struct KnownMethod {
    std::string_view prefix;
    int strength;
    std::string_view written_as;  // the prefix new hashes of this method get
};
// Every bcrypt variant is written as $2b$, the one without known bugs.
constexpr KnownMethod kKnownMethods[] = {
    {"$y$", 3, "$y$"},   {"$gy$", 3, "$gy$"}, {"$2b$", 2, "$2b$"}, {"$2y$", 2, "$2b$"},
    {"$2a$", 2, "$2b$"}, {"$6$", 2, "$6$"},   {"$5$", 1, "$5$"},
};

const KnownMethod* known_method(std::string_view hash) {
    for (const auto& method : kKnownMethods)
        if (hash.substr(0, method.prefix.size()) == method.prefix)
            return &method;
    return nullptr;
}

struct FreeDeleter {
    void operator()(char* p) const { std::free(p); }
};
using SaltSetting = std::unique_ptr<char, FreeDeleter>;

// NULL random bytes: libxcrypt takes the salt from the kernel.
SaltSetting make_setting(const HashMethod& method) {
    return SaltSetting(crypt_gensalt_ra(method.prefix.c_str(), method.cost, nullptr, 0));
}

// crypt_ra's work area holds the password's derived state: wipe it.
struct CryptData {
    void* data = nullptr;
    int size = 0;
    ~CryptData() {
        if (data) {
            sodium_memzero(data, static_cast<std::size_t>(size));
            std::free(data);
        }
    }
};

}  // namespace

Result<PasswordHasher> PasswordHasher::from_system(const HashPolicyFiles& files) {
    auto method = read_hash_method(files);
    if (!method)
        return method.error();
    if (!make_setting(*method))
        return make_error(ErrorCode::InvalidArgument,
                          "this system's libxcrypt cannot make " + method->prefix + " hashes with cost " +
                              std::to_string(method->cost) + " (from " + files.pam_password.string() + " or " +
                              files.login_defs.string() + "); choose yescrypt there");
    return PasswordHasher(std::move(*method));
}

Result<Secret> PasswordHasher::hash(const Secret& password, std::string_view current_hash) const {
    HashMethod method = method_;
    if (strength(current_hash) > strength(method_.prefix))
        method = HashMethod{std::string(known_method(current_hash)->written_as), 0};
    const SaltSetting setting = make_setting(method);
    if (!setting)
        return make_error(ErrorCode::Internal, "cannot make a salt for " + method.prefix + " hashes");
    CryptData work;
    const char* hashed = crypt_ra(password.c_str(), setting.get(), &work.data, &work.size);
    // libxcrypt answers an unknown or disabled method with "*0"/"*1".
    if (hashed == nullptr || std::string_view(hashed).substr(0, method.prefix.size()) != method.prefix)
        return make_error(ErrorCode::Internal, "the password could not be hashed");
    return Secret(hashed);
}

bool PasswordHasher::verify(const Secret& password, std::string_view stored_hash) {
    if (stored_hash.empty() || stored_hash[0] == '!' || stored_hash[0] == '*')
        return false;
    const SensitiveString setting(stored_hash);
    CryptData work;
    const char* hashed = crypt_ra(password.c_str(), setting.c_str(), &work.data, &work.size);
    if (hashed == nullptr || hashed[0] == '*')
        return false;
    const std::string_view computed(hashed);
    return computed.size() == stored_hash.size() &&
           sodium_memcmp(computed.data(), stored_hash.data(), computed.size()) == 0;
}

int PasswordHasher::strength(std::string_view hash) {
    const KnownMethod* method = known_method(hash);
    return method ? method->strength : 0;
}

}  // namespace recoveryd
