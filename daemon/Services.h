#pragma once
// The daemon's long-lived components, built once in main.cpp and handed by
// reference to whatever makes decisions (flows, account operations).

namespace recoveryd {

struct Policy;
class Store;
class SecretKey;
class AuditLog;
class ShadowFile;
class PasswordHasher;

struct Services {
    const Policy& policy;
    Store& store;
    const SecretKey& key;
    AuditLog& audit;
    ShadowFile& shadow;
    const PasswordHasher& hasher;
};

}  // namespace recoveryd
