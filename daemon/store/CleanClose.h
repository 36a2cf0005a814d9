#pragma once
// What the database file looked like when a Store last closed it cleanly,
// kept beside it in `<database>.closed`. A start that finds the file as it
// was then can skip reading every page: since then nothing wrote to it, and
// before then only SQLite did, on a file that had been checked. Anything else
// that writes, truncates, replaces or chmods the file changes its inode, size
// or timestamps, and the next start reads it whole.

#include <filesystem>

#include "common/Result.h"

namespace recoveryd {

// After the last connection to `database` closed without error.
Result<void> record_clean_close(const std::filesystem::path& database);

// false when there is no record, it cannot be read, or the file differs.
bool unchanged_since_clean_close(const std::filesystem::path& database);

}  // namespace recoveryd
