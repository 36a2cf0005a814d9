#pragma once
// A data file compiled into a binary by cmake/EmbedFiles.cmake.

#include <string_view>
#include <vector>

namespace recoveryd {

struct EmbeddedFile {
    std::string_view name;
    std::string_view contents;
};

}  // namespace recoveryd
