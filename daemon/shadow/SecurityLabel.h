#pragma once
// The SELinux context of /etc/shadow, kept across a rewrite: where SELinux
// is enabled, a new file in /etc would otherwise get /etc's default context
// (etc_t), and confined programs (passwd, unix_chkpwd) could no longer read
// it. pam_unix and shadow-utils keep the label the same way.

#include <filesystem>

#include "common/Result.h"

namespace recoveryd {

// Whether this system labels files (SELinux enabled, enforcing or not).
bool selinux_labels_files();

// Gives the file open at `to_fd` the security context of the file at
// `from`. Nothing to do when `from` carries no label. An error names the
// file and the call that failed.
Result<void> copy_security_label(const std::filesystem::path& from, int to_fd);

}  // namespace recoveryd
