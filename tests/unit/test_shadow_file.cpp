// Unit tests for ShadowFile: the rewrite keeps every other byte, owner and
// mode; refuses what could break the file; survives a crash at any step.
#include "tests/unit/UnitTest.h"
#include "tests/unit/TestFiles.h"

#include <filesystem>
#include <fstream>
#include <string>
#include <sys/stat.h>
#include <unistd.h>

#include "daemon/shadow/PasswordHasher.h"
#include "daemon/shadow/ShadowFile.h"

using namespace recoveryd;
namespace fs = std::filesystem;

namespace {

const std::string kLongLine = "# " + std::string(70000, 'x') + "\n";
const std::string kOriginal =
    "root:$6$abc$roothash:19000:0:99999:7:::\n"
    "# a comment line\n"
    "this line is malformed\n" +
    kLongLine +
    "alice:$6$old$alicehash:19000:0:99999:7:::\n"
    "\n"
    "bob:!:19000:0:99999:7:::";  // no final newline

struct ShadowDir {
    fs::path dir;
    fs::path path;
    ShadowDir() {
        char pattern[] = "/tmp/recoveryd-shadow-XXXXXX";
        dir = mkdtemp(pattern);
        path = dir / "shadow";
        write(kOriginal);
        assert_int_equal(chown(path.c_str(), 0, 42), 0);
        chmod(path.c_str(), 0640);
    }
    ~ShadowDir() { fs::remove_all(dir); }
    void write(const std::string& text) const { std::ofstream(path, std::ios::binary) << text; }
    std::string read(const fs::path& p) const {
        return read_file_bytes(p);
    }
    std::string read() const { return read(path); }
    ShadowFile file(std::function<bool(std::string_view)> hook = {}) const {
        ShadowFile::Options options;
        options.path = path;
        options.lock_with_lckpwdf = false;
        options.before_step = std::move(hook);
        return ShadowFile(options);
    }
    std::size_t entries() const {
        return static_cast<std::size_t>(std::distance(fs::directory_iterator(dir), fs::directory_iterator()));
    }
};

std::string expected_after(const std::string& hash, long days) {
    std::string text = kOriginal;
    const std::string old_line = "alice:$6$old$alicehash:19000:";
    text.replace(text.find(old_line), old_line.size(), "alice:" + hash + ":" + std::to_string(days) + ":");
    return text;
}

void rewrite_changes_only_the_target_line(void**) {
    ShadowDir d;
    assert_true(d.file().set_password_hash("alice", "$6$new$newhash", 20500).ok());
    assert_string_equal(d.read().c_str(), expected_after("$6$new$newhash", 20500).c_str());
    // The backup is the previous file, whole.
    assert_true(d.read(d.path.string() + "-") == kOriginal);
    assert_int_equal(d.entries(), 2);  // shadow and shadow-, no temp files left
}

void rewrite_keeps_owner_and_mode(void**) {
    ShadowDir d;
    assert_true(d.file().set_password_hash("alice", "$6$new$newhash", 20500).ok());
    for (const fs::path& p : {d.path, fs::path(d.path.string() + "-")}) {
        struct stat st {};
        assert_int_equal(stat(p.c_str(), &st), 0);
        assert_int_equal(st.st_uid, 0);
        assert_int_equal(st.st_gid, 42);
        assert_int_equal(st.st_mode & 07777, 0640);
    }
}

void missing_user_is_refused_and_nothing_changes(void**) {
    ShadowDir d;
    struct stat before {};
    stat(d.path.c_str(), &before);
    auto result = d.file().set_password_hash("carol", "$6$new$newhash", 20500);
    assert_false(result.ok());
    assert_int_equal(static_cast<int>(result.error().code), static_cast<int>(ErrorCode::NotFound));
    struct stat after {};
    stat(d.path.c_str(), &after);
    assert_true(d.read() == kOriginal);
    assert_int_equal(before.st_ino, after.st_ino);
    assert_int_equal(before.st_mtim.tv_nsec, after.st_mtim.tv_nsec);
    assert_int_equal(d.entries(), 1);
    // A prefix of a name is not the name.
    assert_false(d.file().set_password_hash("ali", "$6$x$y", 1).ok());
    assert_false(d.file().find("ali").ok());
}

void separators_and_controls_are_refused(void**) {
    ShadowDir d;
    for (const char* hash : {"$6$a:b", "$6$a\nroot::0:0:99999:7:::", "", "$6$\x01"}) {
        auto result = d.file().set_password_hash("alice", hash, 1);
        assert_false(result.ok());
        assert_int_equal(static_cast<int>(result.error().code), static_cast<int>(ErrorCode::InvalidArgument));
    }
    for (const char* user : {"ali:ce", "alice\nroot", ""}) {
        auto result = d.file().set_password_hash(user, "$6$x$y", 1);
        assert_false(result.ok());
        assert_int_equal(static_cast<int>(result.error().code), static_cast<int>(ErrorCode::InvalidArgument));
    }
    assert_true(d.read() == kOriginal);
}

void duplicate_entries_are_refused(void**) {
    ShadowDir d;
    d.write(kOriginal + "\nalice:x:1:::::\n");
    assert_int_equal(static_cast<int>(d.file().set_password_hash("alice", "$6$x$y", 1).error().code),
                     static_cast<int>(ErrorCode::Corrupt));
}

void find_reads_the_hash(void**) {
    ShadowDir d;
    auto entry = d.file().find("alice");
    assert_true(entry.ok());
    assert_string_equal(entry->password_hash.c_str(), "$6$old$alicehash");
    assert_string_equal(d.file().find("bob")->password_hash.c_str(), "!");
    assert_int_equal(static_cast<int>(d.file().find("carol").error().code), static_cast<int>(ErrorCode::NotFound));
}

// A crash before any step leaves the old file or the new one, whole.
void crash_at_any_step_leaves_a_whole_file(void**) {
    const char* steps[] = {"backup:create-temp", "backup:set-owner", "backup:write", "backup:fsync",
                           "backup:close",       "backup:verify",    "backup:rename", "backup:fsync-dir",
                           "shadow:create-temp", "shadow:set-owner", "shadow:write",  "shadow:fsync",
                           "shadow:close",       "shadow:verify",    "shadow:rename", "shadow:fsync-dir"};
    const std::string updated = expected_after("$6$new$newhash", 20500);
    for (const char* crash_at : steps) {
        ShadowDir d;
        bool reached = false;
        auto result = d.file([&](std::string_view step) {
                           reached = reached || step == crash_at;
                           return step != crash_at;
                       }).set_password_hash("alice", "$6$new$newhash", 20500);
        assert_true(reached);
        assert_false(result.ok());
        const std::string now = d.read();
        if (now != kOriginal && now != updated)
            fail_msg("after a crash before %s the file is neither old nor new", crash_at);
        // Only a crash after the rename may show the new content.
        const bool renamed = std::string_view(crash_at) == "shadow:fsync-dir";
        assert_true((now == updated) == renamed);
    }
}

void hasher_follows_login_defs(void**) {
    ShadowDir d;
    const fs::path defs = d.dir / "login.defs";
    const struct {
        const char* text;
        const char* prefix;
    } cases[] = {{"# nothing set\n", "$y$"}, {"ENCRYPT_METHOD SHA512\n", "$6$"},
                 {"ENCRYPT_METHOD SHA256\n", "$5$"}, {"ENCRYPT_METHOD YESCRYPT\nYESCRYPT_COST_FACTOR 4\n", "$y$"}};
    for (const auto& c : cases) {
        std::ofstream(defs) << c.text;
        auto hasher = PasswordHasher::from_login_defs(defs);
        assert_true(hasher.ok());
        auto hash = hasher->hash(Secret("correct horse"));
        assert_true(hash.ok());
        assert_true(hash->view().substr(0, std::string_view(c.prefix).size()) == c.prefix);
        assert_true(PasswordHasher::verify(Secret("correct horse"), hash->view()));
        assert_false(PasswordHasher::verify(Secret("correct horsf"), hash->view()));
    }
    std::ofstream(defs) << "ENCRYPT_METHOD MD5\n";
    auto weak = PasswordHasher::from_login_defs(defs);
    assert_false(weak.ok());
    assert_true(weak.error().message.find("login.defs: ENCRYPT_METHOD MD5") != std::string::npos);
    for (const char* locked : {"", "!", "*", "!$6$abc$def", "*LK*"})
        assert_false(PasswordHasher::verify(Secret(""), locked));
}

}  // namespace

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(rewrite_changes_only_the_target_line),
        cmocka_unit_test(rewrite_keeps_owner_and_mode),
        cmocka_unit_test(missing_user_is_refused_and_nothing_changes),
        cmocka_unit_test(separators_and_controls_are_refused),
        cmocka_unit_test(duplicate_entries_are_refused),
        cmocka_unit_test(find_reads_the_hash),
        cmocka_unit_test(crash_at_any_step_leaves_a_whole_file),
        cmocka_unit_test(hasher_follows_login_defs),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
