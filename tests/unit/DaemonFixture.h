#pragma once
// A daemon's worth of real components in a temp dir, for unit tests of the
// parts that make decisions (Flow, AccountService): a SQLite store, a key
// file, a shadow file with root (password kOldPassword) and nobody, and a
// policy that allows root. Use set_up/tear_down as cmocka fixtures.

#include "tests/unit/UnitTest.h"
#include "tests/unit/TestFiles.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include "daemon/Services.h"
#include "daemon/audit/AuditLog.h"
#include "daemon/crypto/SecretKey.h"
#include "daemon/policy/CurrentPolicy.h"
#include "daemon/shadow/PasswordHasher.h"
#include "daemon/shadow/ShadowFile.h"
#include "daemon/store/Store.h"

namespace recoveryd::test {

namespace fs = std::filesystem;

constexpr const char* kOldPassword = "old password 1234";
constexpr const char* kNewPassword = "brand new password 5678";

struct World {
    TempDir dir{"flow"};  // destroyed last, after the store is closed
    Policy policy{};  // change it, then apply_policy()
    std::unique_ptr<CurrentPolicy> current;
    std::unique_ptr<Store> store;
    std::unique_ptr<SecretKey> key;
    std::unique_ptr<AuditLog> audit;
    std::unique_ptr<ShadowFile> shadow;
    std::unique_ptr<PasswordHasher> hasher;
    std::unique_ptr<Services> services;

    fs::path shadow_path() const { return dir / "shadow"; }
    // Puts `policy` in force, as a reload would; returns the snapshot.
    std::shared_ptr<const Policy> apply_policy() {
        current->replace(policy);
        return current->get();
    }
};

inline std::string read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
}

inline void write_file(const fs::path& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
    assert_true(static_cast<bool>(out.flush()));
}

// Runs SQL on the world's store from a connection of its own, as a tool
// beside recoveryd would.
inline void run_sql(World& w, const std::string& statement) {
    auto db = Database::open((w.dir / "recoveryd.db").string(), false);
    assert_true(db.ok());
    assert_true(db->exec(statement).ok());
}

// The number of rows of a table of the world's store (those matching
// `where`, when given), read from a connection of its own.
inline std::string count_rows(World& w, const char* table, const std::string& where = {}) {
    auto db = Database::open((w.dir / "recoveryd.db").string(), false);
    assert_true(db.ok());
    auto stmt = db->prepare(std::string("SELECT count(*) FROM ") + table + (where.empty() ? "" : " WHERE " + where));
    assert_true(stmt.ok());
    auto row = stmt->step();
    assert_true(row.ok() && *row);
    return stmt->column_text(0);
}

inline int set_up(void** state) {
    auto* w = new World;
    {
        std::ofstream defs(w->dir / "login.defs");
        defs << "ENCRYPT_METHOD SHA512\n";
    }
    auto hasher = PasswordHasher::from_system({w->dir / "common-password", w->dir / "login.defs"});
    assert_true(hasher.ok());
    w->hasher = std::make_unique<PasswordHasher>(std::move(hasher.value()));
    auto root_hash = w->hasher->hash(Secret(kOldPassword), "");
    assert_true(root_hash.ok());
    {
        std::ofstream shadow(w->shadow_path());
        shadow << "root:" << root_hash->view() << ":20000:0:99999:7:::\n"
               << "nobody:*:20000:0:99999:7:::\n";
    }
    w->policy.enabled = true;
    w->policy.allow_root = true;
    w->policy.min_uid = 0;
    w->policy.flow_timeout = std::chrono::seconds(300);
    w->policy.password = PasswordPolicy{15, 127, true, 5};
    w->policy.after_reset = AfterReset::SignInAgain;
    w->policy.admin.approval_code_lifetime = std::chrono::seconds(3600);
    w->policy.admin.request_lifetime = std::chrono::seconds(604800);
    w->policy.admin.max_open_requests_per_user = 3;
    w->policy.admin.max_open_requests_per_source = 5;
    w->policy.admin.max_open_requests = 200;
    w->policy.admin.notify_hook_timeout = std::chrono::seconds(10);
    w->current = std::make_unique<CurrentPolicy>(w->policy);

    auto store = Store::open(w->dir / "recoveryd.db");
    assert_true(store.ok());
    w->store = std::make_unique<Store>(std::move(store.value()));
    auto key = SecretKey::load_or_create(w->dir / "recoveryd.key");
    assert_true(key.ok());
    w->key = std::make_unique<SecretKey>(std::move(key.value()));
    w->audit = std::make_unique<AuditLog>(*w->store);
    ShadowFile::Options options;
    options.path = w->shadow_path();
    options.lock_path.clear();
    w->shadow = std::make_unique<ShadowFile>(options);
    w->services = std::make_unique<Services>(
        Services{*w->current, *w->store, *w->key, *w->audit, *w->shadow, *w->hasher});
    // Nothing outside the temp dir: no marker in /var/lib, no faillock run
    // on this machine's tallies (a missing tool counts as not installed).
    w->services->notice_markers = w->dir / "notices";
    w->services->rotation_lock = w->dir / "rotation.lock";
    w->services->faillock.program = w->dir / "faillock";
    w->services->faillock.config = w->dir / "faillock.conf";
    *state = w;
    return 0;
}

inline int tear_down(void** state) {
    delete static_cast<World*>(*state);
    return 0;
}

}  // namespace recoveryd::test
