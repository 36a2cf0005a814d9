#include "daemon/hooks/NotifyHook.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdio>
#include <string_view>
#include <system_error>

namespace recoveryd {

namespace {

namespace fs = std::filesystem;

// As the kernel's own limit on links followed in one lookup.
constexpr int kMaxSymbolicLinks = 40;
constexpr std::size_t kMaxKindBytes = 64;

Error unsafe(const fs::path& hook, const std::string& problem) {
    return make_error(ErrorCode::InvalidArgument, "the notify hook " + hook.native() + ": " + problem);
}

std::string octal_mode(mode_t mode) {
    char text[8];
    std::snprintf(text, sizeof text, "%04o", static_cast<unsigned>(mode & 07777));
    return text;
}

// What both the hook and every directory above it must be: changeable by
// root alone.
Result<void> check_owner_and_mode(const fs::path& hook, const fs::path& entry, const struct stat& status) {
    if (status.st_uid != 0)
        return unsafe(hook, entry.native() + " is owned by uid " + std::to_string(status.st_uid) +
                                ", not root; make root its owner (chown root " + entry.native() + ")");
    if ((status.st_mode & (S_IWGRP | S_IWOTH)) != 0)
        return unsafe(hook, entry.native() + " is writable by group or others (mode " + octal_mode(status.st_mode) +
                                "); make it writable by root alone (chmod go-w " + entry.native() + ")");
    return {};
}

Result<void> check_directory(const fs::path& hook, const fs::path& entry, const struct stat& status) {
    if (!S_ISDIR(status.st_mode))
        return unsafe(hook, entry.native() + " is not a directory");
    return check_owner_and_mode(hook, entry, status);
}

Result<void> check_program(const fs::path& hook, const fs::path& entry, const struct stat& status) {
    if (!S_ISREG(status.st_mode))
        return unsafe(hook, entry.native() + " is not a regular file; name the program itself");
    if (auto owned = check_owner_and_mode(hook, entry, status); !owned)
        return owned;
    if ((status.st_mode & (S_IXUSR | S_IXGRP | S_IXOTH)) == 0)
        return unsafe(hook, entry.native() + " is not executable (mode " + octal_mode(status.st_mode) +
                                "); make it so (chmod 0755 " + entry.native() + ")");
    return {};
}

// Names still to walk, the next one last. "" and "." change nothing.
void push_components(std::vector<std::string>& pending, const fs::path& path) {
    std::vector<std::string> names;
    for (const auto& part : path.relative_path())
        if (!part.empty() && part != ".")
            names.push_back(part.native());
    pending.insert(pending.end(), names.rbegin(), names.rend());
}

Result<std::string> read_link(const fs::path& hook, const fs::path& entry) {
    std::string target(PATH_MAX, '\0');
    const ssize_t length = readlink(entry.c_str(), target.data(), target.size());
    if (length < 0 || static_cast<std::size_t>(length) >= target.size())
        return unsafe(hook, "cannot read the symbolic link " + entry.native());
    target.resize(static_cast<std::size_t>(length));
    return target;
}

Result<struct stat> lstat_entry(const fs::path& hook, const fs::path& entry) {
    struct stat status {};
    if (lstat(entry.c_str(), &status) == 0)
        return status;
    const int error = errno;
    if (error == ENOENT || error == ENOTDIR)
        return make_error(ErrorCode::NotFound, "the notify hook " + hook.native() + " does not exist (" +
                                                   entry.native() + " is missing)");
    return make_error(ErrorCode::Io, "the notify hook " + hook.native() + ": cannot inspect " + entry.native() + ": " +
                                         std::generic_category().message(error));
}

bool is_event_kind(std::string_view kind) {
    return !kind.empty() && kind.size() <= kMaxKindBytes && std::all_of(kind.begin(), kind.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
    });
}

bool is_field_name(std::string_view name) {
    return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    });
}

Result<std::vector<std::string>> hook_environment(const HookEvent& event) {
    if (!is_event_kind(event.kind))
        return make_error(ErrorCode::InvalidArgument, "a hook event's kind must be lowercase letters, digits and -");
    std::vector<std::string> environment = {
        "PATH=/usr/sbin:/usr/bin:/sbin:/bin",
        "LANG=C.UTF-8",
        "RECOVERYD_EVENT=" + event.kind,
    };
    for (const auto& [name, value] : event.fields) {
        if (!is_field_name(name) || name == "EVENT")
            return make_error(ErrorCode::InvalidArgument,
                              "a hook event's field names must be A-Z, 0-9 and _ (and not EVENT): " + name);
        environment.push_back("RECOVERYD_" + name + "=" + value);
    }
    return environment;
}

}  // namespace

// Walks the path one name at a time, as the kernel resolves it: every
// directory whose entries are used (also those a symbolic link leads
// through) must be root's alone, or someone else could swap what is run.
Result<void> check_hook_path(const fs::path& path) {
    if (!path.is_absolute())
        return unsafe(path, "must be an absolute path");
    if (!path.has_filename())  // "/etc/hook/" names a directory, whatever is there
        return unsafe(path, "names a directory, not a program");
    const fs::path root = "/";
    auto root_status = lstat_entry(path, root);
    if (!root_status)
        return root_status.error();
    if (auto safe = check_directory(path, root, *root_status); !safe)
        return safe;

    std::vector<std::string> pending;
    push_components(pending, path);
    fs::path current = root;  // always a checked directory, without symbolic links
    int links = 0;
    while (!pending.empty()) {
        const std::string name = std::move(pending.back());
        pending.pop_back();
        if (name == "..") {
            current = current.parent_path();  // an ancestor: checked already
            continue;
        }
        const fs::path entry = current / name;
        auto status = lstat_entry(path, entry);
        if (!status)
            return status.error();
        if (S_ISLNK(status->st_mode)) {
            if (++links > kMaxSymbolicLinks)
                return unsafe(path, "too many symbolic links");
            auto target = read_link(path, entry);
            if (!target)
                return target.error();
            if (fs::path(*target).is_absolute())
                current = root;
            push_components(pending, *target);
            continue;
        }
        if (pending.empty())
            return check_program(path, entry, *status);
        if (auto safe = check_directory(path, entry, *status); !safe)
            return safe;
        current = entry;
    }
    return unsafe(path, "is a directory, not a program");
}

Result<ProcessExit> run_notify_hook(const fs::path& hook, std::chrono::milliseconds timeout, const HookEvent& event) {
    if (auto safe = check_hook_path(hook); !safe)
        return safe.error();
    auto environment = hook_environment(event);
    if (!environment)
        return environment.error();
    return run_process(ProcessSpec{hook, {event.kind}, std::move(*environment), timeout});
}

}  // namespace recoveryd
