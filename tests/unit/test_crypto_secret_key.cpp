// The daemon's key file (daemon/crypto/SecretKey): made whole or not at all,
// kept across starts, and refused when it is not as recoveryd makes it.

#include "tests/unit/UnitTest.h"
#include "tests/unit/TestFiles.h"

#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <fstream>

#include "daemon/crypto/SecretKey.h"

using namespace recoveryd;
namespace fs = std::filesystem;

namespace {

int needs_root(void**) {
    if (geteuid() != 0) {
        print_message("skipped: the key must be root's\n");
        skip();
    }
    return 0;
}

Digest sample(const SecretKey& key) { return key.keyed_hash({"sample"}); }

void made_once_then_loaded(void**) {
    TempDir dir("key");
    const fs::path path = dir / "recoveryd.key";
    auto made = SecretKey::load_or_create(path);
    assert_true(made.ok());
    struct stat st {};
    assert_int_equal(stat(path.c_str(), &st), 0);
    assert_int_equal(st.st_size, SecretKey::kBytes);
    assert_int_equal(st.st_mode & 0777, 0600);
    assert_false(fs::exists(path.string() + ".new"));
    auto loaded = SecretKey::load_or_create(path);
    assert_true(loaded.ok());
    assert_true(digests_equal(sample(*made), sample(*loaded)));
}

// A crash while the key is being written: a child makes the key with a file
// size limit of 5 bytes, so the kernel kills it (SIGXFSZ) in the middle of
// the write. The key's own name stays free (or whole), and the next start
// makes a whole key. (Made directly under its name, the key was left 5 bytes
// long, and every later start refused it.)
void a_crash_while_making_it_leaves_no_short_key(void**) {
    TempDir dir("key");
    const fs::path path = dir / "recoveryd.key";
    const pid_t child = fork();
    assert_true(child >= 0);
    if (child == 0) {
        const struct rlimit limit {5, 5};
        setrlimit(RLIMIT_FSIZE, &limit);
        (void)SecretKey::load_or_create(path);
        _exit(0);
    }
    int status = 0;
    assert_int_equal(waitpid(child, &status, 0), child);
    assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGXFSZ);
    auto made = SecretKey::load_or_create(path);
    if (!made.ok())
        fail_msg("the start after the crash: %s", made.error().message.c_str());
    assert_int_equal(fs::file_size(path), SecretKey::kBytes);
    assert_false(fs::exists(path.string() + ".new"));
}

void a_short_key_is_refused(void**) {
    TempDir dir("key");
    const fs::path path = dir / "recoveryd.key";
    {
        std::ofstream(path) << "short";
    }
    assert_int_equal(chmod(path.c_str(), 0600), 0);
    auto loaded = SecretKey::load_or_create(path);
    assert_false(loaded.ok());
    assert_int_equal(static_cast<int>(loaded.error().code), static_cast<int>(ErrorCode::Corrupt));
    assert_non_null(strstr(loaded.error().message.c_str(), "wrong size"));
}

void a_key_others_can_read_is_refused(void**) {
    TempDir dir("key");
    const fs::path path = dir / "recoveryd.key";
    assert_true(SecretKey::load_or_create(path).ok());
    assert_int_equal(chmod(path.c_str(), 0644), 0);
    auto loaded = SecretKey::load_or_create(path);
    assert_false(loaded.ok());
    assert_int_equal(static_cast<int>(loaded.error().code), static_cast<int>(ErrorCode::Corrupt));
}

}  // namespace

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(made_once_then_loaded, needs_root),
        cmocka_unit_test_setup(a_crash_while_making_it_leaves_no_short_key, needs_root),
        cmocka_unit_test_setup(a_short_key_is_refused, needs_root),
        cmocka_unit_test_setup(a_key_others_can_read_is_refused, needs_root),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
