#include "daemon/shadow/SecurityLabel.h"

#include <cerrno>
#include <cstring>
#include <memory>
#include <selinux/selinux.h>

namespace recoveryd {
namespace {

struct FreeContext {
    void operator()(char* context) const { freecon(context); }
};

Error label_error(const std::filesystem::path& path, const char* call) {
    return make_error(ErrorCode::Io, path.string() + ": " + call + ": " + std::strerror(errno));
}

}  // namespace

bool selinux_labels_files() {
    return is_selinux_enabled() > 0;
}

Result<void> copy_security_label(const std::filesystem::path& from, int to_fd) {
    // Raw contexts: copied as stored, without mcstrans' translation.
    char* raw = nullptr;
    if (getfilecon_raw(from.c_str(), &raw) < 0) {
        if (errno == ENODATA || errno == ENOTSUP)
            return {};  // an unlabeled file: the new one keeps the policy's default, as the old one had
        return label_error(from, "getfilecon");
    }
    const std::unique_ptr<char, FreeContext> context(raw);
    if (fsetfilecon_raw(to_fd, context.get()) < 0)
        return label_error(from, "fsetfilecon (for its replacement)");
    return {};
}

}  // namespace recoveryd
