#include "daemon/shadow/PasswordHasher.h"

#include <crypt.h>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sodium.h>
#include <sstream>

namespace recoveryd {
namespace {

// login.defs: "KEY value" lines; '#' starts a comment.
std::map<std::string, std::string> read_login_defs(const std::filesystem::path& path) {
    std::map<std::string, std::string> values;
    std::ifstream in(path);
    for (std::string line; std::getline(in, line);) {
        std::istringstream words(line);
        std::string key, value;
        if (words >> key >> value && key[0] != '#')
            values[key] = value;
    }
    return values;
}

Result<unsigned long> read_cost(const std::map<std::string, std::string>& defs, const std::string& key,
                                unsigned long min, unsigned long max, const std::filesystem::path& path) {
    auto it = defs.find(key);
    if (it == defs.end())
        return 0UL;
    char* end = nullptr;
    const unsigned long value = std::strtoul(it->second.c_str(), &end, 10);
    if (*end != '\0' || value < min || value > max)
        return make_error(ErrorCode::InvalidArgument, path.string() + ": " + key + " " + it->second +
                                                          " is not a number from " + std::to_string(min) +
                                                          " to " + std::to_string(max));
    return value;
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

Result<PasswordHasher> PasswordHasher::from_login_defs(const std::filesystem::path& path) {
    const auto defs = read_login_defs(path);
    const auto method = defs.count("ENCRYPT_METHOD") ? defs.at("ENCRYPT_METHOD") : std::string("YESCRYPT");
    Result<unsigned long> cost = 0UL;
    std::string prefix;
    if (method == "YESCRYPT") {
        prefix = "$y$";
        cost = read_cost(defs, "YESCRYPT_COST_FACTOR", 1, 11, path);
    } else if (method == "SHA512" || method == "SHA256") {
        prefix = method == "SHA512" ? "$6$" : "$5$";
        cost = read_cost(defs, "SHA_CRYPT_MIN_ROUNDS", 1000, 999999999, path);
    } else {
        return make_error(ErrorCode::InvalidArgument,
                          path.string() + ": ENCRYPT_METHOD " + method +
                              " is not supported; use YESCRYPT, SHA512 or SHA256");
    }
    if (!cost)
        return cost.error();
    return PasswordHasher(prefix, *cost);
}

Result<Secret> PasswordHasher::hash(const Secret& password) const {
    // NULL random bytes: libxcrypt takes the salt from the kernel.
    char* setting = crypt_gensalt_ra(prefix_.c_str(), cost_, nullptr, 0);
    if (setting == nullptr)
        return make_error(ErrorCode::Internal, "cannot make a salt for " + prefix_ + " hashes");
    CryptData work;
    const char* hashed = crypt_ra(password.c_str(), setting, &work.data, &work.size);
    std::free(setting);
    if (hashed == nullptr || hashed[0] == '*')
        return make_error(ErrorCode::Internal, "the password could not be hashed");
    return Secret(hashed);
}

bool PasswordHasher::verify(const Secret& password, std::string_view stored_hash) {
    if (stored_hash.empty() || stored_hash[0] == '!' || stored_hash[0] == '*')
        return false;
    const std::string setting(stored_hash);
    CryptData work;
    const char* hashed = crypt_ra(password.c_str(), setting.c_str(), &work.data, &work.size);
    if (hashed == nullptr || hashed[0] == '*')
        return false;
    const std::string_view computed(hashed);
    return computed.size() == stored_hash.size() &&
           sodium_memcmp(computed.data(), stored_hash.data(), computed.size()) == 0;
}

}  // namespace recoveryd
