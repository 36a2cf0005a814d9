#pragma once
// Reading small configuration files (login.defs, PAM stacks, faillock.conf,
// the policy's lists) without iostreams: the first stream a process makes
// builds libstdc++'s locale, about 600 kB of resident pages that a daemon
// on the login path would carry for its whole life (docs/benchmarks.md).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/Result.h"

namespace recoveryd {

// The whole file; nullopt when it does not exist, an Io error naming it
// when it cannot be read.
Result<std::optional<std::string>> read_config_file(const std::string& path);

// The lines of text as std::getline gives them: split at '\n', a last line
// without '\n' included, no empty line after a final '\n'.
std::vector<std::string_view> split_lines(std::string_view text);

// The words of text as `stream >> word` gives them: runs of characters
// between whitespace (space, tab, '\n', '\v', '\f', '\r').
std::vector<std::string_view> split_words(std::string_view text);

}  // namespace recoveryd
