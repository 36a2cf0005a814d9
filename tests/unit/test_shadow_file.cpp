// Unit tests for ShadowFile: the rewrite keeps every other byte, owner and
// mode; refuses what could break the file; survives a crash at any step;
// judges the account again under the password-database lock; waits for
// that lock as shadow-utils and pam_unix take it; cleans up after a crash.
#include "tests/unit/UnitTest.h"
#include "tests/unit/TestFiles.h"

#include <chrono>
#include <condition_variable>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <set>
#include <string>
#include <sys/stat.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <thread>
#include <unistd.h>

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
    TempDir dir{"shadow"};
    fs::path path = dir / "shadow";
    ShadowDir() {
        write(kOriginal);
        assert_int_equal(chown(path.c_str(), 0, 42), 0);
        chmod(path.c_str(), 0640);
    }
    void write(const std::string& text) const { std::ofstream(path, std::ios::binary) << text; }
    std::string read(const fs::path& p) const {
        return read_file_bytes(p);
    }
    std::string read() const { return read(path); }
    fs::path lock_path() const { return dir / ".pwd.lock"; }
    // No file lock: most tests work on the file alone.
    ShadowFile file(std::function<bool(std::string_view)> hook = {}, bool copy_label = false) const {
        ShadowFile::Options options;
        options.path = path;
        options.lock_path.clear();
        options.before_step = std::move(hook);
        options.copy_security_label = copy_label;
        return ShadowFile(options);
    }
    ShadowFile locked_file(std::chrono::milliseconds timeout = std::chrono::seconds(15),
                           std::function<bool(std::string_view)> hook = {}) const {
        ShadowFile::Options options;
        options.path = path;
        options.lock_path = lock_path();
        options.lock_timeout = timeout;
        options.before_step = std::move(hook);
        return ShadowFile(options);
    }
    std::size_t entries() const {
        return static_cast<std::size_t>(std::distance(fs::directory_iterator(dir.path()), fs::directory_iterator()));
    }
    std::set<std::string> names() const {
        std::set<std::string> found;
        for (const auto& entry : fs::directory_iterator(dir.path()))
            found.insert(entry.path().filename().string());
        return found;
    }
};

template <typename T>
void assert_error(const Result<T>& result, ErrorCode code, const char* message) {
    assert_false(result.ok());
    assert_int_equal(static_cast<int>(result.error().code), static_cast<int>(code));
    assert_string_equal(result.error().message.c_str(), message);
}

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

// An administrator's reset: the account is judged on today, and the new
// password must be changed at the next login (last change 0).
void rewrite_for_a_change_at_next_login(void**) {
    ShadowDir d;
    assert_true(
        d.file().set_password_hash("alice", "$6$new$newhash", 20500, ShadowFile::NextLogin::MustChangePassword).ok());
    assert_string_equal(d.read().c_str(), expected_after("$6$new$newhash", 0).c_str());
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

// The SELinux context is an extended attribute: this kernel runs no SELinux,
// but as root it stores security.selinux as given, so the copy itself is
// seen. (selinux_labels_files() is false here; SELinux systems turn it on.)
constexpr const char* kLabelAttribute = "security.selinux";
const std::string kShadowContext = "system_u:object_r:shadow_t:s0";

std::string label_of(const fs::path& path) {
    char value[256];
    const ssize_t size = getxattr(path.c_str(), kLabelAttribute, value, sizeof value);
    return size < 0 ? std::string() : std::string(value, static_cast<std::size_t>(size));
}

void the_new_files_keep_the_shadow_files_label(void**) {
    ShadowDir d;
    const std::string stored = kShadowContext + '\0';  // as libselinux stores it
    if (setxattr(d.path.c_str(), kLabelAttribute, stored.data(), stored.size(), 0) != 0)
        fail_msg("cannot set %s on %s: %s", kLabelAttribute, d.path.c_str(), std::strerror(errno));
    assert_true(d.file({}, true).set_password_hash("alice", "$6$new$newhash", 20500).ok());
    assert_string_equal(label_of(d.path).c_str(), stored.c_str());
    assert_string_equal(label_of(fs::path(d.path.string() + "-")).c_str(), stored.c_str());
}

// Where SELinux is off, nothing is labelled, and an unlabelled file is no error.
void labels_are_left_alone_where_selinux_is_off(void**) {
    ShadowDir labelled;
    const std::string stored = kShadowContext + '\0';
    if (setxattr(labelled.path.c_str(), kLabelAttribute, stored.data(), stored.size(), 0) != 0)
        fail_msg("cannot set %s: %s", kLabelAttribute, std::strerror(errno));
    assert_true(labelled.file({}, false).set_password_hash("alice", "$6$new$newhash", 20500).ok());
    assert_true(label_of(labelled.path).empty());

    ShadowDir unlabelled;
    assert_true(unlabelled.file({}, true).set_password_hash("alice", "$6$new$newhash", 20500).ok());
    assert_true(label_of(unlabelled.path).empty());
}

const char* const kSteps[] = {"backup:create-temp", "backup:set-owner", "backup:set-label", "backup:write",
                           "backup:fsync",       "backup:close",     "backup:verify",    "backup:rename",
                           "backup:fsync-dir",   "shadow:create-temp", "shadow:set-owner", "shadow:set-label",
                           "shadow:write",       "shadow:fsync",     "shadow:close",     "shadow:verify",
                           "shadow:rename",      "shadow:fsync-dir"};

// A crash before any step leaves the old file or the new one, whole.
void crash_at_any_step_leaves_a_whole_file(void**) {
    const std::string updated = expected_after("$6$new$newhash", 20500);
    for (const char* crash_at : kSteps) {
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

// A step that fails (a full disk, an I/O error) before the rename reports
// the password not set, leaves the old file and no temp file. The
// directory's sync failing after the rename cannot undo it: the password
// is set, and the caller is told the change may not survive a crash.
void a_failed_step_says_whether_the_file_was_replaced(void**) {
    const std::string updated = expected_after("$6$new$newhash", 20500);
    for (const char* fail_at : kSteps) {
        ShadowDir d;
        ShadowFile::Options options;
        options.path = d.path;
        options.lock_path.clear();
        options.copy_security_label = false;
        options.fail_step = [&](std::string_view step) { return step == fail_at; };
        const auto result = ShadowFile(options).set_password_hash("alice", "$6$new$newhash", 20500);
        for (const std::string& name : d.names())
            if (name != "shadow" && name != "shadow-")
                fail_msg("a failure at %s left %s", fail_at, name.c_str());
        if (std::string_view(fail_at) != "shadow:fsync-dir") {
            if (result.ok())
                fail_msg("a failure at %s reported the password set", fail_at);
            assert_int_equal(static_cast<int>(result.error().code), static_cast<int>(ErrorCode::Io));
            assert_string_equal(d.read().c_str(), kOriginal.c_str());
            continue;
        }
        assert_true(result.ok() && result->unsynced);
        assert_non_null(strstr(result->unsynced->message.c_str(), "fsync-dir failed"));
        assert_string_equal(d.read().c_str(), updated.c_str());
    }
}

// Rewrites alice's line as another program would (usermod -L, chage -E...).
void change_alice(const ShadowDir& d, const std::string& new_line) {
    std::string text = kOriginal;
    const std::string old_line = "alice:$6$old$alicehash:19000:0:99999:7:::";
    text.replace(text.find(old_line), old_line.size(), new_line);
    d.write(text);
}

// A lock, disable or expiry that lands after the flow read the account
// (while the person typed the new password) wins: nothing is written.
void account_state_is_checked_again_under_the_lock(void**) {
    const struct {
        const char* line;
        const char* message;
    } cases[] = {
        {"alice:!$6$old$alicehash:19000:0:99999:7:::", "the account is locked"},    // usermod -L
        {"alice:*:19000:0:99999:7:::", "the account is disabled"},
        {"alice::19000:0:99999:7:::", "the account is disabled"},
        {"alice:$6$old$alicehash:19000:0:99999:7::1:", "the account is expired"},  // usermod -e 1
        {"alice:$6$old$alicehash:19000:0:500:7:10::", "the account is expired"},   // inactive
        {"alice:$6$old$alicehash:19x00:0:99999:7:::", "the account is disabled"},  // unreadable
    };
    for (const auto& c : cases) {
        ShadowDir d;
        assert_int_equal(static_cast<int>(account_state(*d.file().find("alice"), 20500)),
                         static_cast<int>(AccountState::Usable));
        change_alice(d, c.line);
        const std::string changed = d.read();
        assert_error(d.file().set_password_hash("alice", "$6$new$newhash", 20500), ErrorCode::AccessDenied, c.message);
        assert_error(
            d.file().set_password_hash("alice", "$6$new$newhash", 20500, ShadowFile::NextLogin::MustChangePassword),
            ErrorCode::AccessDenied, c.message);
        assert_true(d.read() == changed);
        assert_int_equal(d.entries(), 1);  // no backup, no temp file
    }
    ShadowDir d;
    assert_error(d.file().set_password_hash("bob", "$6$new$newhash", 20500), ErrorCode::AccessDenied,
                 "the account is locked");
    // Last change 0 ("change at next login") is usable.
    change_alice(d, "alice:$6$old$alicehash:0:0:99999:7:::");
    assert_true(d.file().set_password_hash("alice", "$6$new$newhash", 20500).ok());
}

// The flow hashed for the hash it saw; if a stronger one is there now
// (the person ran passwd meanwhile), writing would weaken it.
void a_weaker_hash_than_the_current_one_is_refused(void**) {
    ShadowDir d;
    change_alice(d, "alice:$y$j9T$salt$newerhash:19000:0:99999:7:::");
    const std::string changed = d.read();
    assert_error(d.file().set_password_hash("alice", "$6$new$newhash", 20500), ErrorCode::Unavailable,
                 "the account's password changed meanwhile; try again");
    assert_true(d.read() == changed);
    assert_int_equal(d.entries(), 1);
    // As strong or stronger is fine.
    assert_true(d.file().set_password_hash("alice", "$y$j9T$salt2$hash2", 20500).ok());
    change_alice(d, "alice:$5$salt$hash:19000:0:99999:7:::");
    assert_true(d.file().set_password_hash("alice", "$6$new$newhash", 20500).ok());
}

// Another program (passwd, useradd, pam_unix) holding the lock as
// lckpwdf(3) takes it: a forked child with a write lock on the whole file.
class LockHolder {
public:
    explicit LockHolder(const fs::path& lock_path) {
        int ready[2], release[2];
        assert_int_equal(pipe(ready), 0);
        assert_int_equal(pipe(release), 0);
        pid_ = fork();
        assert_true(pid_ >= 0);
        if (pid_ == 0) {
            close(ready[0]);
            close(release[1]);
            const int fd = open(lock_path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
            struct flock whole_file {};
            whole_file.l_type = F_WRLCK;
            whole_file.l_whence = SEEK_SET;
            const char answer = fd >= 0 && fcntl(fd, F_SETLKW, &whole_file) == 0 ? 'L' : 'E';
            if (write(ready[1], &answer, 1) == 1) {
                char done;
                (void)!read(release[0], &done, 1);  // returns when the parent closes its end
            }
            _exit(0);
        }
        close(ready[1]);
        close(release[0]);
        release_fd_ = release[1];
        char answer = 0;
        assert_int_equal(read(ready[0], &answer, 1), 1);
        close(ready[0]);
        assert_int_equal(answer, 'L');
    }
    ~LockHolder() { release(); }
    void release() {
        if (pid_ <= 0)
            return;
        close(release_fd_);
        int status = 0;
        waitpid(pid_, &status, 0);
        pid_ = -1;
    }

private:
    pid_t pid_ = -1;
    int release_fd_ = -1;
};

void a_lock_held_by_another_program_makes_the_rewrite_fail_cleanly(void**) {
    ShadowDir d;
    LockHolder other(d.lock_path());
    const auto short_wait = std::chrono::milliseconds(300);
    assert_error(d.locked_file(short_wait).set_password_hash("alice", "$6$new$newhash", 20500),
                 ErrorCode::Unavailable,
                 "the password database is locked by another program; try again in a minute");
    assert_true(d.read() == kOriginal);
    assert_true(d.names() == (std::set<std::string>{"shadow", ".pwd.lock"}));
    auto cleanup = d.locked_file(short_wait).remove_stale_temp_files();
    assert_false(cleanup.ok());
    assert_int_equal(static_cast<int>(cleanup.error().code), static_cast<int>(ErrorCode::Unavailable));
    // Reading needs no lock.
    assert_true(d.locked_file(short_wait).find("alice").ok());

    other.release();
    assert_true(d.locked_file(short_wait).set_password_hash("alice", "$6$new$newhash", 20500).ok());
    assert_true(d.read() == expected_after("$6$new$newhash", 20500));
}

bool another_process_sees_the_lock(const fs::path& lock_path) {
    const pid_t pid = fork();
    if (pid == 0) {
        const int fd = open(lock_path.c_str(), O_RDONLY | O_CLOEXEC);
        struct flock probe {};
        probe.l_type = F_WRLCK;
        probe.l_whence = SEEK_SET;
        const bool locked = fd >= 0 && fcntl(fd, F_GETLK, &probe) == 0 && probe.l_type != F_UNLCK;
        _exit(locked ? 0 : 1);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    return pid > 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

void the_lock_is_held_for_the_whole_rewrite_and_released_after(void**) {
    ShadowDir d;
    std::size_t steps = 0, unlocked_steps = 0;
    auto file = d.locked_file(std::chrono::seconds(15), [&](std::string_view) {
        ++steps;
        unlocked_steps += another_process_sees_the_lock(d.lock_path()) ? 0 : 1;
        return true;
    });
    assert_true(file.set_password_hash("alice", "$6$new$newhash", 20500).ok());
    assert_int_equal(steps, 18);
    assert_int_equal(unlocked_steps, 0);
    assert_false(another_process_sees_the_lock(d.lock_path()));
}

void the_lock_file_is_private_and_never_reached_through_a_symlink(void**) {
    ShadowDir d;
    assert_true(d.locked_file().set_password_hash("alice", "$6$new$newhash", 20500).ok());
    struct stat st {};
    assert_int_equal(lstat(d.lock_path().c_str(), &st), 0);
    assert_true(S_ISREG(st.st_mode));
    assert_int_equal(st.st_mode & 07777, 0600);

    ShadowDir e;
    const fs::path victim = e.dir / "victim";
    fs::create_symlink(victim, e.lock_path());
    auto result = e.locked_file().set_password_hash("alice", "$6$new$newhash", 20500);
    assert_false(result.ok());
    assert_int_equal(static_cast<int>(result.error().code), static_cast<int>(ErrorCode::Io));
    assert_false(fs::exists(fs::symlink_status(victim)));
    assert_true(e.read() == kOriginal);
}

// fcntl locks belong to the process, so two threads would both "hold" it:
// thread B must still wait until thread A's rewrite is done, or one of the
// two changes would be lost.
void rewrites_from_two_threads_are_serialized(void**) {
    ShadowDir d;
    std::mutex mutex;
    std::condition_variable changed;
    bool a_inside = false, b_calling = false, b_inside = false;
    const auto a_hook = [&](std::string_view step) {
        if (step == "backup:create-temp") {  // A has read the file and holds the lock
            std::unique_lock<std::mutex> lock(mutex);
            a_inside = true;
            changed.notify_all();
            changed.wait_for(lock, std::chrono::seconds(30), [&] { return b_calling; });
            // Only a broken lock lets B in now; give it ample time to show.
            changed.wait_for(lock, std::chrono::seconds(1), [&] { return b_inside; });
        }
        return true;
    };
    const auto b_hook = [&](std::string_view step) {
        if (step == "backup:create-temp") {
            std::lock_guard<std::mutex> lock(mutex);
            b_inside = true;
            changed.notify_all();
        }
        return true;
    };
    ShadowFile a = d.locked_file(std::chrono::seconds(15), a_hook);
    ShadowFile b = d.locked_file(std::chrono::seconds(15), b_hook);
    Result<ShadowFile::Written> a_result = make_error(ErrorCode::Internal, "not run"), b_result = a_result;
    std::thread a_thread([&] { a_result = a.set_password_hash("alice", "$6$fromA$hash", 20500); });
    {
        std::unique_lock<std::mutex> lock(mutex);
        changed.wait_for(lock, std::chrono::seconds(30), [&] { return a_inside; });
    }
    std::thread b_thread([&] {
        {
            std::lock_guard<std::mutex> lock(mutex);
            b_calling = true;
            changed.notify_all();
        }
        b_result = b.set_password_hash("root", "$6$fromB$hash", 20500);
    });
    a_thread.join();
    b_thread.join();
    assert_true(a_result.ok());
    assert_true(b_result.ok());
    assert_string_equal(d.file().find("alice")->password_hash.c_str(), "$6$fromA$hash");
    assert_string_equal(d.file().find("root")->password_hash.c_str(), "$6$fromB$hash");
}

// A crash mid-rewrite leaves a temp file (mkostemp, O_EXCL, never reused).
// Cleanup removes exactly those names and nothing else.
void stale_temp_files_from_a_crash_are_removed(void**) {
    ShadowDir d;
    for (const char* crash_at : {"backup:verify", "shadow:write"}) {
        auto result = d.file([&](std::string_view step) { return step != crash_at; })
                          .set_password_hash("alice", "$6$new$newhash", 20500);
        assert_false(result.ok());
    }
    std::set<std::string> left;
    for (const std::string& name : d.names())
        if (name.find(".recoveryd-") != std::string::npos)
            left.insert(name);
    assert_int_equal(left.size(), 2);  // ".shadow-.recoveryd-XXXXXX" and ".shadow.recoveryd-XXXXXX"

    for (const char* decoy : {".shadow.recoveryd-abc", ".shadow.recoveryd-abcdefg", ".shadow.recoveryd-ab_def",
                              ".shadow.recoveryd-ab.def", ".shadow.recoveryd-", "shadow.recoveryd-abcdef",
                              ".passwd.recoveryd-abcdef", ".shadow.recoveryd-abcdef~", "..shadow.recoveryd-abcdef",
                              ".shadow--.recoveryd-abcdef", "precious"})
        std::ofstream(d.dir / decoy) << "keep";
    fs::create_directory(d.dir / ".shadow.recoveryd-dirABC");
    fs::create_symlink(d.dir / "precious", d.dir / ".shadow.recoveryd-lnkABC");
    fs::create_symlink(d.dir / "precious", d.dir / ".shadow-.recoveryd-lnkDEF");
    const std::string shadow = d.read(), backup = d.read(d.path.string() + "-");
    std::set<std::string> expected = d.names();
    for (const std::string& name : left)
        expected.erase(name);
    expected.insert(".pwd.lock");

    auto removed = d.locked_file().remove_stale_temp_files();
    assert_true(removed.ok());
    assert_int_equal(*removed, 2);
    assert_true(d.names() == expected);
    assert_true(d.read() == shadow);
    assert_true(d.read(d.path.string() + "-") == backup);
    assert_true(d.read(d.dir / "precious") == "keep");
    assert_int_equal(*d.locked_file().remove_stale_temp_files(), 0);
}

}  // namespace

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(rewrite_changes_only_the_target_line),
        cmocka_unit_test(rewrite_for_a_change_at_next_login),
        cmocka_unit_test(rewrite_keeps_owner_and_mode),
        cmocka_unit_test(missing_user_is_refused_and_nothing_changes),
        cmocka_unit_test(separators_and_controls_are_refused),
        cmocka_unit_test(duplicate_entries_are_refused),
        cmocka_unit_test(find_reads_the_hash),
        cmocka_unit_test(the_new_files_keep_the_shadow_files_label),
        cmocka_unit_test(labels_are_left_alone_where_selinux_is_off),
        cmocka_unit_test(crash_at_any_step_leaves_a_whole_file),
        cmocka_unit_test(a_failed_step_says_whether_the_file_was_replaced),
        cmocka_unit_test(account_state_is_checked_again_under_the_lock),
        cmocka_unit_test(a_weaker_hash_than_the_current_one_is_refused),
        cmocka_unit_test(a_lock_held_by_another_program_makes_the_rewrite_fail_cleanly),
        cmocka_unit_test(the_lock_is_held_for_the_whole_rewrite_and_released_after),
        cmocka_unit_test(the_lock_file_is_private_and_never_reached_through_a_symlink),
        cmocka_unit_test(rewrites_from_two_threads_are_serialized),
        cmocka_unit_test(stale_temp_files_from_a_crash_are_removed),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
