#pragma once
// A directory where a notify hook may live in a test. A hook runs as root, so
// recoveryd accepts only a path whose every directory is root's and not
// writable by group or others, which /tmp and /var/tmp (1777) are not.

#include "tests/unit/UnitTest.h"

#include <stdlib.h>
#include <sys/stat.h>

#include <filesystem>
#include <string>
#include <system_error>

namespace recoveryd::test {

namespace fs = std::filesystem;

// Independent of the code under test: is every directory from / down to
// `directory` root's alone?
inline bool is_on_a_safe_path(fs::path directory) {
    for (;; directory = directory.parent_path()) {
        struct stat status {};
        if (stat(directory.c_str(), &status) != 0 || status.st_uid != 0 || (status.st_mode & 022) != 0)
            return false;
        if (directory == directory.parent_path())
            return true;
    }
}

// Where a hook may live for these tests: beside the test program when the
// build tree is root's alone, else under /run (root's tmpfs; a clone under
// /tmp, which anyone may write, is not a safe place for a hook). Empty when
// neither is.
inline fs::path safe_base() {
    for (const fs::path& base : {fs::canonical("/proc/self/exe").parent_path(), fs::path("/run")})
        if (is_on_a_safe_path(base))
            return base;
    return {};
}

// A directory of the test's own under safe_base(), removed with all it holds
// when destroyed.
class SafeDir {
public:
    SafeDir() {
        std::string pattern = (safe_base() / "recoveryd-hooks-XXXXXX").string();
        if (mkdtemp(pattern.data()) == nullptr)
            fail_msg("mkdtemp %s failed", pattern.c_str());
        path_ = pattern;
        chmod(path_.c_str(), 0755);
    }
    ~SafeDir() {
        std::error_code ignored;
        fs::remove_all(path_, ignored);
    }
    SafeDir(const SafeDir&) = delete;
    SafeDir& operator=(const SafeDir&) = delete;

    const fs::path& path() const { return path_; }
    fs::path operator/(const fs::path& name) const { return path_ / name; }

private:
    fs::path path_;
};

}  // namespace recoveryd::test
