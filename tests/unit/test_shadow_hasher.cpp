// Unit tests for PasswordHasher: the method is the one pam_unix uses on
// this system (its common-password line, else login.defs, else yescrypt),
// and a new hash is never weaker than the account's current one.
#include "tests/unit/UnitTest.h"
#include "tests/unit/TestFiles.h"

#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>

#include "daemon/shadow/PasswordHasher.h"

using namespace recoveryd;
namespace fs = std::filesystem;

namespace {

// Debian 12's stock files, as installed: login.defs says SHA512 while
// pam_unix is told yescrypt (and the comments name both).
const char* const kDebian12CommonPassword =
    "# /etc/pam.d/common-password - password-related modules common to all services\n"
    "# Explanation of pam_unix options:\n"
    "# The \"yescrypt\" option enables\n"
    "#hashed passwords using the yescrypt algorithm, introduced in Debian\n"
    "#11.  Without this option, the default is Unix crypt.  Prior releases\n"
    "#used the option \"sha512\"; if a shadow password hash will be shared\n"
    "# here are the per-package modules (the \"Primary\" block)\n"
    "password\t[success=1 default=ignore]\tpam_unix.so obscure yescrypt\n"
    "# here's the fallback if no module succeeds\n"
    "password\trequisite\t\t\tpam_deny.so\n"
    "password\trequired\t\t\tpam_permit.so\n"
    "# end of pam-auth-update config\n";
const char* const kDebian12LoginDefs =
    "# If set to DES, DES-based algorithm will be used for encrypting password (default)\n"
    "ENCRYPT_METHOD SHA512\n"
    "#SHA_CRYPT_MIN_ROUNDS 5000\n"
    "#YESCRYPT_COST_FACTOR 5\n";

struct PolicyDir {
    TempDir dir{"hasher"};
    HashPolicyFiles files;
    PolicyDir() {
        files.pam_password = dir / "common-password";
        files.login_defs = dir / "login.defs";
    }
    PolicyDir& pam(const std::string& text) {
        std::ofstream(files.pam_password) << text;
        return *this;
    }
    PolicyDir& defs(const std::string& text) {
        std::ofstream(files.login_defs) << text;
        return *this;
    }
    PasswordHasher hasher() const {
        auto hasher = PasswordHasher::from_system(files);
        if (!hasher.ok())
            fail_msg("from_system: %s", hasher.error().message.c_str());
        return std::move(hasher.value());
    }
    std::string refusal() const {
        auto hasher = PasswordHasher::from_system(files);
        assert_false(hasher.ok());
        assert_int_equal(static_cast<int>(hasher.error().code), static_cast<int>(ErrorCode::InvalidArgument));
        return hasher.error().message;
    }
};

bool starts_with(std::string_view text, std::string_view prefix) { return text.substr(0, prefix.size()) == prefix; }

void check_hash(const PasswordHasher& hasher, std::string_view current, std::string_view expected_prefix) {
    auto hash = hasher.hash(Secret("correct horse"), current);
    assert_true(hash.ok());
    if (!starts_with(hash->view(), expected_prefix))
        fail_msg("over \"%.*s\": got %s, expected %.*s...", static_cast<int>(current.size()), current.data(),
                 hash->c_str(), static_cast<int>(expected_prefix.size()), expected_prefix.data());
    assert_true(PasswordHasher::verify(Secret("correct horse"), hash->view()));
    assert_false(PasswordHasher::verify(Secret("correct horsf"), hash->view()));
}

// Issue 7, item 9: login.defs said SHA512, pam_unix wrote yescrypt, and
// the daemon wrote $6$ over $y$.
void debian12_stock_files_give_yescrypt(void**) {
    PolicyDir d;
    d.pam(kDebian12CommonPassword).defs(kDebian12LoginDefs);
    const PasswordHasher hasher = d.hasher();
    assert_string_equal(hasher.prefix().c_str(), "$y$");
    assert_int_equal(hasher.cost(), 0);
    check_hash(hasher, "", "$y$j9T$");
}

void each_pam_unix_method(void**) {
    const struct {
        const char* line;
        const char* prefix;
        unsigned long cost;
    } cases[] = {
        {"password required pam_unix.so sha512 shadow\n", "$6$", 0},
        {"password required pam_unix.so sha256 rounds=6000\n", "$5$rounds=6000$", 6000},
        {"password required pam_unix.so blowfish\n", "$2b$", 0},
        {"password required pam_unix.so blowfish rounds=6\n", "$2b$06$", 6},
        {"password required pam_unix.so gost_yescrypt\n", "$gy$", 0},
        {"password required pam_unix.so yescrypt rounds=4\n", "$y$", 4},
        // A full path, a "-" type, a control with spaces, upper-case type.
        {"-password [success=1 default=ignore] /lib/x86_64-linux-gnu/security/pam_unix.so sha256\n", "$5$", 0},
        {"PASSWORD\t[success=1\tdefault=ignore]\tpam_unix.so sha512\n", "$6$", 0},
        // The last method option wins, as in pam_unix.
        {"password required pam_unix.so sha512 yescrypt\n", "$y$", 0},
        // Backslash continues a line.
        {"password [success=1 \\\n default=ignore] pam_unix.so \\\n sha512\n", "$6$", 0},
        // Only pam_unix's password line counts, and only the first one.
        {"auth required pam_unix.so sha256\n"
         "password requisite pam_pwquality.so sha256 retry=3\n"
         "#password required pam_unix.so sha256\n"
         "password required pam_unix.so sha512 # sha256 in a comment\n"
         "password required pam_unix.so sha256\n",
         "$6$", 0},
    };
    for (const auto& c : cases) {
        PolicyDir d;
        d.pam(c.line).defs("ENCRYPT_METHOD SHA256\n");
        const PasswordHasher hasher = d.hasher();
        if (!starts_with(c.prefix, hasher.prefix()) || hasher.cost() != c.cost)
            fail_msg("%s: got %s cost %lu", c.line, hasher.prefix().c_str(), hasher.cost());
        check_hash(hasher, "", c.prefix);
    }
}

// No method option: pam_unix takes ENCRYPT_METHOD from login.defs.
void without_a_pam_method_login_defs_decides(void**) {
    const struct {
        const char* pam;
        const char* defs;
        const char* prefix;
    } cases[] = {
        {"password required pam_unix.so obscure\n", "ENCRYPT_METHOD SHA512\n", "$6$"},
        {"password required pam_unix.so obscure\n", "ENCRYPT_METHOD SHA256\nSHA_CRYPT_MIN_ROUNDS 7000\n",
         "$5$rounds=7000$"},
        {"password required pam_unix.so rounds=8000\n", "ENCRYPT_METHOD SHA512\n", "$6$rounds=8000$"},
        {"password required pam_unix.so\n", "# nothing set\n", "$y$"},
        {"", "ENCRYPT_METHOD YESCRYPT\nYESCRYPT_COST_FACTOR 4\n", "$y$j8T$"},
        // A commented-out or non-password pam_unix line is no method.
        {"#password required pam_unix.so md5\nauth required pam_unix.so md5\n", "ENCRYPT_METHOD SHA512\n", "$6$"},
    };
    for (const auto& c : cases) {
        PolicyDir d;
        d.pam(c.pam).defs(c.defs);
        check_hash(d.hasher(), "", c.prefix);
    }
}

void missing_files_mean_yescrypt(void**) {
    PolicyDir d;
    check_hash(d.hasher(), "", "$y$");
    d.defs("ENCRYPT_METHOD SHA512\n");  // common-password missing: login.defs
    check_hash(d.hasher(), "", "$6$");
}

void weak_methods_are_refused_with_the_fix(void**) {
    for (const char* weak : {"md5", "bigcrypt"}) {
        PolicyDir d;
        d.pam(std::string("# comment\npassword required pam_unix.so ") + weak + "\n").defs("ENCRYPT_METHOD SHA512\n");
        const std::string message = d.refusal();
        const std::string where = d.files.pam_password.string() + ":2: pam_unix's " + weak + " method is too weak";
        if (message.find(where) != 0 || message.find("use yescrypt") == std::string::npos)
            fail_msg("message: %s", message.c_str());
    }
    for (const char* weak : {"MD5", "DES", "BCRYPT", "sha512"}) {
        PolicyDir d;
        d.pam("password required pam_unix.so obscure\n").defs(std::string("ENCRYPT_METHOD ") + weak + "\n");
        const std::string message = d.refusal();
        if (message.find("login.defs: ENCRYPT_METHOD " + std::string(weak) + " is not supported") ==
            std::string::npos)
            fail_msg("message: %s", message.c_str());
    }
}

void costs_out_of_range_are_refused(void**) {
    for (const char* line : {"password required pam_unix.so yescrypt rounds=2\n",
                             "password required pam_unix.so yescrypt rounds=12\n",
                             "password required pam_unix.so blowfish rounds=32\n",
                             "password required pam_unix.so sha512 rounds=999\n",
                             "password required pam_unix.so sha512 rounds=many\n"}) {
        PolicyDir d;
        d.pam(line);
        const std::string message = d.refusal();
        if (message.find(d.files.pam_password.string() + ":1: pam_unix option rounds=") != 0)
            fail_msg("%s: %s", line, message.c_str());
    }
    PolicyDir d;
    d.defs("ENCRYPT_METHOD YESCRYPT\nYESCRYPT_COST_FACTOR 12\n");
    assert_true(d.refusal().find("YESCRYPT_COST_FACTOR 12 is not a number from 1 to 11") != std::string::npos);
}

// A recovery never weakens the hash: a stronger current method is kept.
void never_weaker_than_the_current_hash(void**) {
    PolicyDir d;
    d.pam("password required pam_unix.so sha256\n");
    const PasswordHasher sha256 = d.hasher();
    check_hash(sha256, "$6$salt$hash", "$6$");
    check_hash(sha256, "$6$rounds=9000$salt$hash", "$6$");
    check_hash(sha256, "$y$j9T$salt$hash", "$y$j9T$");
    check_hash(sha256, "$gy$j9T$salt$hash", "$gy$");
    check_hash(sha256, "$2y$10$salthash", "$2b$05$");  // bcrypt, written as $2b$ at the default cost
    check_hash(sha256, "$2a$10$salthash", "$2b$");
    // Weaker or equal current hashes: the configured method.
    check_hash(sha256, "$5$salt$hash", "$5$");
    check_hash(sha256, "$1$salt$hash", "$5$");
    check_hash(sha256, "abDEShash1234", "$5$");
    check_hash(sha256, "", "$5$");

    d.pam("password required pam_unix.so sha512 rounds=6000\n");
    const PasswordHasher sha512 = d.hasher();
    check_hash(sha512, "$2b$10$salthash", "$6$rounds=6000$");  // equal strength: configured, with its cost
    check_hash(sha512, "$y$j9T$salt$hash", "$y$");

    d.pam("password required pam_unix.so yescrypt rounds=6\n");
    check_hash(d.hasher(), "$gy$j9T$salt$hash", "$y$jAT$");  // equal strength: configured
}

void strength_orders_methods(void**) {
    for (const char* strongest : {"$y$j9T$s$h", "$gy$j9T$s$h"})
        assert_int_equal(PasswordHasher::strength(strongest), 3);
    for (const char* strong : {"$2b$10$x", "$2y$10$x", "$2a$10$x", "$6$s$h", "$6$rounds=5000$s$h"})
        assert_int_equal(PasswordHasher::strength(strong), 2);
    assert_int_equal(PasswordHasher::strength("$5$s$h"), 1);
    for (const char* weak : {"$1$s$h", "abDEShash1234", "$2x$10$x", "$7$CU..", "$sha1$1$x", "", "!", "*",
                             "!$y$j9T$s$h", "*LK*", "$y"})
        assert_int_equal(PasswordHasher::strength(weak), 0);
}

void locked_and_empty_hashes_never_verify(void**) {
    for (const char* locked : {"", "!", "*", "!$6$abc$def", "*LK*"})
        assert_false(PasswordHasher::verify(Secret(""), locked));
}

}  // namespace

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(debian12_stock_files_give_yescrypt),
        cmocka_unit_test(each_pam_unix_method),
        cmocka_unit_test(without_a_pam_method_login_defs_decides),
        cmocka_unit_test(missing_files_mean_yescrypt),
        cmocka_unit_test(weak_methods_are_refused_with_the_fix),
        cmocka_unit_test(costs_out_of_range_are_refused),
        cmocka_unit_test(never_weaker_than_the_current_hash),
        cmocka_unit_test(strength_orders_methods),
        cmocka_unit_test(locked_and_empty_hashes_never_verify),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
