#pragma once
// Reading a whole file in tests, byte for byte.

#include <cstdio>
#include <filesystem>
#include <string>

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
