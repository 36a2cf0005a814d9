#pragma once
// Files for tests: a directory of a test's own, and reading a file whole.

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <system_error>

// /tmp/recoveryd-<name>-XXXXXX, made when constructed, removed with all it
// holds when destroyed.
class TempDir {
public:
    explicit TempDir(const char* name) {
        std::string pattern = std::string("/tmp/recoveryd-") + name + "-XXXXXX";
        if (mkdtemp(pattern.data()) == nullptr) {
            std::perror("mkdtemp");
            std::abort();
        }
        path_ = pattern;
    }
    ~TempDir() {
        std::error_code ignored;
        std::filesystem::remove_all(path_, ignored);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    const std::filesystem::path& path() const { return path_; }
    std::filesystem::path operator/(const std::filesystem::path& name) const { return path_ / name; }

private:
    std::filesystem::path path_;
};

inline std::string read_file_bytes(const std::filesystem::path& path) {
    std::string text;
    if (FILE* file = std::fopen(path.c_str(), "rb")) {
        char buffer[65536];
        for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, file)) > 0;)
            text.append(buffer, n);
        std::fclose(file);
    }
    return text;
}
