#pragma once
// The daemon's long-lived components, built once in main.cpp and handed by
// reference to whatever makes decisions (flows, account operations).

#include <filesystem>

#include "common/ClockReading.h"
#include "common/NoticeMarker.h"
#include "daemon/resets/FaillockTally.h"

namespace recoveryd {

class CurrentPolicy;
class Store;
class SecretKey;
class AuditLog;
class ShadowFile;
class PasswordHasher;

struct Services {
    CurrentPolicy& policy;  // take a snapshot with get()
    Store& store;
    const SecretKey& key;
    AuditLog& audit;
    ShadowFile& shadow;
    const PasswordHasher& hasher;
    ClockReading (*clock)() = read_clock;  // what expiry is judged by; tests pass their own
    // What a reset touches besides the store and /etc/shadow; tests point
    // both into a directory of their own.
    std::filesystem::path notice_markers = kNoticeMarkerDirectory;
    // Held shared while a password change is noted and not yet audited, so
    // that another instance's start leaves that intent alone
    // (RotationIntents.h).
    std::filesystem::path rotation_lock = "/var/lib/recoveryd/rotation.lock";
    FaillockTool faillock{};
};

}  // namespace recoveryd
