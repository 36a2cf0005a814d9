#include "common/ConfigText.h"

#include <algorithm>
#include <cerrno>
#include <fcntl.h>
#include <system_error>
#include <unistd.h>

#include "common/UniqueFd.h"

namespace recoveryd {

Result<std::optional<std::string>> read_config_file(const std::string& path) {
    const auto unreadable = [&] {
        return make_error(ErrorCode::Io, path + ": cannot be read: " + std::generic_category().message(errno));
    };
    UniqueFd fd(open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd.valid())
        return errno == ENOENT ? Result<std::optional<std::string>>(std::nullopt) : unreadable();
    std::string text;
    char buffer[4096];
    for (ssize_t n; (n = read(fd.get(), buffer, sizeof buffer)) != 0;) {
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return unreadable();
        text.append(buffer, static_cast<std::size_t>(n));
    }
    return std::optional<std::string>(std::move(text));
}

std::vector<std::string_view> split_lines(std::string_view text) {
    std::vector<std::string_view> lines;
    while (!text.empty()) {
        const auto end = text.find('\n');
        lines.push_back(text.substr(0, end));
        text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    }
    return lines;
}

std::vector<std::string_view> split_words(std::string_view text) {
    constexpr std::string_view kSpace = " \t\n\v\f\r";
    std::vector<std::string_view> words;
    for (auto start = text.find_first_not_of(kSpace); start != std::string_view::npos;
         start = text.find_first_not_of(kSpace, start)) {
        const auto end = std::min(text.find_first_of(kSpace, start), text.size());
        words.push_back(text.substr(start, end - start));
        start = end;
    }
    return words;
}

}  // namespace recoveryd
