// Any bytes as /etc/recoveryd/recoveryd.conf: loading never crashes, and a
// policy it accepts reads back the same from its own description (what
// `recoveryd --check-policy` prints is a valid policy file).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <sys/stat.h>
#include <unistd.h>

#include "daemon/policy/PolicyLoader.h"
#include "tests/fuzz/FuzzCheck.h"

namespace {

namespace fs = std::filesystem;

// A private directory with the admin's file and an empty drop-in folder.
struct PolicyDir {
    fs::path root;
    PolicyDir() {
        char name[] = "/tmp/fuzz-policy-XXXXXX";
        FUZZ_CHECK(mkdtemp(name) != nullptr);
        root = name;
        fs::create_directory(root / "recoveryd.conf.d");
    }
    ~PolicyDir() {
        std::error_code ignored;
        fs::remove_all(root, ignored);
    }
    PolicyDir(const PolicyDir&) = delete;
    PolicyDir& operator=(const PolicyDir&) = delete;
    recoveryd::PolicyPaths paths() const { return {root / "recoveryd.conf", root / "recoveryd.conf.d"}; }
    void write(const std::string& text) const {
        std::ofstream(root / "recoveryd.conf", std::ios::binary | std::ios::trunc) << text;
        chmod((root / "recoveryd.conf").c_str(), 0644);
    }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const PolicyDir dir;
    dir.write(std::string(reinterpret_cast<const char*>(data), size));
    const auto policy = recoveryd::load_policy(dir.paths());
    if (!policy)
        return 0;
    const std::string described = recoveryd::describe_policy(*policy);
    dir.write(described);
    const auto reread = recoveryd::load_policy(dir.paths());
    FUZZ_CHECK(reread.ok());
    FUZZ_CHECK(recoveryd::describe_policy(*reread) == described);
    return 0;
}
