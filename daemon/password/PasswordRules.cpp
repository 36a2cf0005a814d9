#include "daemon/password/PasswordRules.h"

#include <algorithm>
#include <cctype>
#include <memory>
#include <mutex>
#include <pwquality.h>

#include "daemon/shadow/PasswordHasher.h"

namespace recoveryd {
namespace {

// Shorter names would refuse too much ("ed" is in "red pedal").
constexpr std::size_t kShortestCheckedUserName = 3;

constexpr const char* kTooCommon =
    "This password is too common or too easy to guess. Choose another: a few unrelated words make a long "
    "password that is easy to remember.";
constexpr const char* kContainsUserName = "Your password must not contain your user name.";
// What cracklib answers for every password when its dictionary cannot be
// opened (not installed: cracklib-runtime is only recommended).
constexpr std::string_view kCracklibCannotLoad = "error loading dictionary";
constexpr const char* kUsedRecently = "You used this password recently. Choose one you have not used before.";

PasswordRefusal refusal(PasswordRule rule, std::string message, std::string detail = {}) {
    if (detail.empty())
        detail = message;
    return {rule, std::move(message), std::string(rule_name(rule)) + ": " + detail};
}

std::string characters(long count) { return std::to_string(count) + (count == 1 ? " character" : " characters"); }

std::string too_short(long min_length) {
    return "Your new password is too short. Use at least " + characters(min_length) + ".";
}

std::optional<PasswordRefusal> check_length(const PasswordPolicy& policy, const Secret& candidate) {
    const std::size_t length = count_characters(candidate.view());
    if (length < policy.min_length)
        return refusal(PasswordRule::Length, too_short(static_cast<long>(policy.min_length)));
    if (length > policy.max_length)
        return refusal(PasswordRule::Length, "Your new password is too long. Use at most " +
                                                 characters(static_cast<long>(policy.max_length)) + ".");
    return std::nullopt;
}

// Case-insensitive for ASCII letters (user names are ASCII). Searched in
// place: no copy of the password to wipe.
std::optional<PasswordRefusal> check_user_name(std::string_view user, const Secret& candidate) {
    if (user.size() < kShortestCheckedUserName)
        return std::nullopt;
    const auto same_letter = [](char a, char b) {
        return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
    };
    const std::string_view text = candidate.view();
    if (std::search(text.begin(), text.end(), user.begin(), user.end(), same_letter) == text.end())
        return std::nullopt;
    return refusal(PasswordRule::UserName, kContainsUserName);
}

struct FreeSettings {
    void operator()(pwquality_settings_t* settings) const { pwquality_free_settings(settings); }
};
using PwqualitySettings = std::unique_ptr<pwquality_settings_t, FreeSettings>;

// pwquality's own text for an error. Always called with the auxiliary
// error pwquality handed out: for some errors it owns memory this frees.
std::string pwquality_text(int error, void* aux) {
    char buffer[PWQ_MAX_ERROR_MESSAGE_LEN];
    return pwquality_strerror(buffer, sizeof buffer, error, aux);
}

// Our words for pwquality's refusals; its own text (in `detail`) for the
// rare ones. `count` is the number pwquality reports with an error.
std::string plain_words(int error, long count, const std::string& detail) {
    switch (error) {
    case PWQ_ERROR_CRACKLIB_CHECK:
    case PWQ_ERROR_PALINDROME:
    case PWQ_ERROR_BAD_WORDS: return kTooCommon;
    case PWQ_ERROR_USER_CHECK: return kContainsUserName;
    case PWQ_ERROR_GECOS_CHECK: return "Your password must not contain words from your name.";
    case PWQ_ERROR_MIN_LENGTH: return too_short(count);
    case PWQ_ERROR_MIN_DIGITS: return "Use at least " + std::to_string(count) + " digits (0-9).";
    case PWQ_ERROR_MIN_UPPERS: return "Use at least " + std::to_string(count) + " capital letters (A-Z).";
    case PWQ_ERROR_MIN_LOWERS: return "Use at least " + std::to_string(count) + " small letters (a-z).";
    case PWQ_ERROR_MIN_OTHERS:
        return "Use at least " + std::to_string(count) + " characters that are not letters or digits.";
    case PWQ_ERROR_MIN_CLASSES:
        return "Use at least " + std::to_string(count) +
               " of these kinds of characters: small letters, capital letters, digits, other characters.";
    case PWQ_ERROR_MAX_CONSECUTIVE:
        return "Do not type the same character more than " + std::to_string(count) + " times in a row.";
    case PWQ_ERROR_MAX_CLASS_REPEAT:
        return "Do not type more than " + std::to_string(count) +
               " characters of one kind (small letters, capital letters, digits, others) in a row.";
    case PWQ_ERROR_MAX_SEQUENCE:
        return "Do not use a run like abcd or 4321 longer than " + characters(count) + ".";
    default: return detail + ".";
    }
}

// cracklib promises nothing about threads: one check at a time.
std::mutex& pwquality_mutex() {
    static std::mutex mutex;
    return mutex;
}

Result<std::optional<PasswordRefusal>> check_blocklist(std::string_view user, const Secret& candidate,
                                                       const std::filesystem::path& config) {
    const PwqualitySettings settings(pwquality_default_settings());
    if (!settings)
        return make_error(ErrorCode::Internal, "libpwquality: out of memory");
    void* aux = nullptr;
    const char* config_file = config.empty() ? nullptr : config.c_str();
    if (const int read = pwquality_read_config(settings.get(), config_file, &aux); read != 0)
        return make_error(ErrorCode::InvalidArgument,
                          (config.empty() ? std::string("/etc/security/pwquality.conf") : config.string()) +
                              " (or a file in its .d directory): " + pwquality_text(read, aux) +
                              "; no new password is accepted until it is fixed (or CheckBlocklist = no)");
    const std::string name(user);
    int score = 0;
    {
        const std::lock_guard lock(pwquality_mutex());
        score = pwquality_check(settings.get(), candidate.c_str(), nullptr, name.c_str(), &aux);
    }
    if (score >= 0)
        return std::optional<PasswordRefusal>();
    if (score == PWQ_ERROR_MEM_ALLOC) {
        (void)pwquality_text(score, aux);
        return make_error(ErrorCode::Internal, "libpwquality: out of memory");
    }
    // Numbers travel in the auxiliary pointer itself (libpwquality's API).
    const long count = reinterpret_cast<long>(aux);
    const bool no_dictionary = score == PWQ_ERROR_CRACKLIB_CHECK && aux != nullptr &&
                               std::string_view(static_cast<const char*>(aux)) == kCracklibCannotLoad;
    const std::string detail = pwquality_text(score, aux);
    if (no_dictionary)  // not the password's fault: no password could pass
        return make_error(ErrorCode::Unavailable,
                          "libpwquality: " + detail +
                              "; no new password is accepted until the cracklib dictionary is installed "
                              "(package cracklib-runtime) or CheckBlocklist = no");
    const PasswordRule rule = score == PWQ_ERROR_USER_CHECK ? PasswordRule::UserName : PasswordRule::Blocklist;
    return std::optional(refusal(rule, plain_words(score, count, detail), "libpwquality: " + detail));
}

// Only as many as the policy remembers, whatever the caller passed.
std::optional<PasswordRefusal> check_history(const PasswordPolicy& policy, const PasswordOwner& owner,
                                             const Secret& candidate) {
    const auto remembered = owner.recent_hashes.first(std::min(owner.recent_hashes.size(), policy.remember_last));
    for (const Secret& hash : remembered)
        if (PasswordHasher::verify(candidate, hash.view()))
            return refusal(PasswordRule::History, kUsedRecently);
    return std::nullopt;
}

}  // namespace

const char* rule_name(PasswordRule rule) {
    switch (rule) {
    case PasswordRule::Length: return "length";
    case PasswordRule::UserName: return "user-name";
    case PasswordRule::Blocklist: return "blocklist";
    case PasswordRule::History: return "history";
    }
    return "unknown";
}

std::size_t count_characters(std::string_view utf8) {
    // Every code point has exactly one byte that is not a continuation byte.
    return static_cast<std::size_t>(
        std::count_if(utf8.begin(), utf8.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

Result<std::optional<PasswordRefusal>> check_new_password(const PasswordPolicy& policy, const PasswordOwner& owner,
                                                          const Secret& candidate,
                                                          const std::filesystem::path& pwquality_config) {
    if (auto length = check_length(policy, candidate))
        return length;
    if (auto name = check_user_name(owner.user, candidate))
        return name;
    if (policy.check_blocklist) {
        auto blocklist = check_blocklist(owner.user, candidate, pwquality_config);
        if (!blocklist || *blocklist)
            return blocklist;
    }
    if (auto history = check_history(policy, owner, candidate))
        return history;
    return std::optional<PasswordRefusal>();
}

}  // namespace recoveryd
