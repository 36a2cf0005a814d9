#pragma once
// A throwaway database directory for the store and audit tests, and raw SQL
// beside the Store (as an attacker, an older or a newer recoveryd would).

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>
#include <unistd.h>

#include "daemon/crypto/Digest.h"
#include "daemon/store/Store.h"
#include "tests/unit/TestFiles.h"
#include "tests/unit/UnitTest.h"

struct StoreDir {
    TempDir dir{"store"};
    std::filesystem::path path = dir / "recoveryd.db";

    StoreDir() {
        assert_true(recoveryd::init_crypto().ok());
    }

    recoveryd::Store open() const {
        auto store = recoveryd::Store::open(path);
        if (!store.ok())
            fail_msg("%s", store.error().message.c_str());
        return std::move(store.value());
    }
    // Runs one statement on its own connection; the first column of its first row.
    std::string sql(const std::string& statement) const {
        auto db = recoveryd::Database::open(path.string(), false);
        assert_true(db.ok());
        auto stmt = db->prepare(statement);
        if (!stmt.ok())
            fail_msg("%s", stmt.error().message.c_str());
        auto row = stmt->step();
        if (!row.ok())
            fail_msg("%s", row.error().message.c_str());
        return *row ? stmt->column_text(0) : std::string();
    }
    // Like sql(), but the statement is expected to fail.
    bool sql_fails(const std::string& statement) const {
        auto db = recoveryd::Database::open(path.string(), false);
        assert_true(db.ok());
        auto stmt = db->prepare(statement);
        return !stmt.ok() || !stmt->run().ok();
    }
    std::string bytes() const { return read_file_bytes(path); }
    std::string wal_bytes() const { return read_file_bytes(path.string() + "-wal"); }
};

// An identity check under limits no test reaches, unless the test is about them.
inline recoveryd::IdentityAttempt attempt_by(std::string_view user,
                                             recoveryd::ClockReading clock = recoveryd::read_clock()) {
    const recoveryd::FailureLimit loose{1000000, std::chrono::seconds(60), std::chrono::seconds(60)};
    return recoveryd::IdentityAttempt{std::string(user), "tty:tty1", {loose, loose, loose, std::chrono::seconds(60)},
                                      std::move(clock)};
}

// Distinct, high-entropy digests: searchable in the database's bytes.
inline recoveryd::Digest test_digest(std::string_view label) {
    return recoveryd::hash_parts({"store-test", label});
}

inline bool contains(const std::string& haystack, const recoveryd::Digest& needle) {
    return std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end(),
                       [](char a, std::uint8_t b) { return static_cast<std::uint8_t>(a) == b; }) != haystack.end();
}

inline void assert_ok(const recoveryd::Result<void>& result) {
    if (!result.ok())
        fail_msg("%s", result.error().message.c_str());
}

template <typename T>
T ok_value(recoveryd::Result<T> result) {
    if (!result.ok())
        fail_msg("%s", result.error().message.c_str());
    return std::move(result.value());
}

// The audit chain verifies as intact; returns how many rows it holds.
inline std::uint64_t assert_audit_intact(recoveryd::Store& store) {
    const auto verified = ok_value(store.verify_audit_chain());
    if (!verified.intact)
        fail_msg("%s", verified.problem.c_str());
    return verified.rows_checked;
}
