#pragma once
// RAII over the SQLite C API: a connection, prepared statements and
// transactions. Only daemon/store uses it.

#include <cstdint>
#include <memory>
#include <span>
#include <sqlite3.h>
#include <string>
#include <string_view>

#include "common/Result.h"

namespace recoveryd {

class Statement {
public:
    Statement(sqlite3* db, sqlite3_stmt* statement) : db_(db), statement_(statement) {}

    Statement& bind(int index, std::string_view text);
    Statement& bind(int index, std::int64_t value);
    Statement& bind(int index, std::span<const std::uint8_t> blob);

    // true: a row is ready; false: done. Binding errors surface here.
    Result<bool> step();
    Result<void> run();  // steps to completion
    // Ready to run again with new bindings (the old ones stay until rebound).
    Statement& reset();

    std::int64_t column_int64(int index) const { return sqlite3_column_int64(statement_.get(), index); }
    std::string column_text(int index) const;
    // Valid until the next step: for reading many rows without a copy.
    std::string_view column_view(int index) const;
    std::span<const std::uint8_t> column_blob(int index) const;

private:
    struct Finalize { void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); } };
    sqlite3* db_;
    std::unique_ptr<sqlite3_stmt, Finalize> statement_;
    int bind_error_ = SQLITE_OK;
};

class Database {
public:
    // Opens (creating if asked) the file; nothing else.
    static Result<Database> open(const std::string& path, bool create);
    // An existing file, for one thread alone: no SQLite mutex around each
    // call, which a long read (the audit walk) would pay per column.
    static Result<Database> open_for_one_thread(const std::string& path);
    // An existing file, for reading only, as if nothing else could change
    // it: no lock taken, no -wal or -shm file made, a WAL's frames unread.
    static Result<Database> open_immutable(const std::string& path);

    Result<Statement> prepare(std::string_view sql);
    Result<void> exec(const std::string& sql);  // several statements, no parameters

    const std::string& path() const { return path_; }
    sqlite3* handle() const { return db_.get(); }
    // Rows the last INSERT, UPDATE or DELETE changed itself (not cascades).
    std::int64_t changes() const { return sqlite3_changes64(db_.get()); }
    Error error(ErrorCode code, std::string_view doing) const;
    // Closes now (the last connection checkpoints the WAL); an error when
    // SQLite reports one. Afterwards the Database holds nothing.
    Result<void> close();

private:
    // `filename` as SQLite takes it (a URI, with SQLITE_OPEN_URI); `path` for messages.
    static Result<Database> open_with(const std::string& filename, int flags, std::string path);
    struct Close { void operator()(sqlite3* db) const { sqlite3_close_v2(db); } };
    Database(std::unique_ptr<sqlite3, Close> db, std::string path) : db_(std::move(db)), path_(std::move(path)) {}
    std::unique_ptr<sqlite3, Close> db_;
    std::string path_;
};

// BEGIN IMMEDIATE ... COMMIT; rolls back when destroyed uncommitted.
class Transaction {
public:
    static Result<Transaction> begin(Database& db);
    Result<void> commit();
    ~Transaction();
    Transaction(Transaction&& other) noexcept : db_(std::exchange(other.db_, nullptr)) {}
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    Transaction& operator=(Transaction&&) = delete;

private:
    explicit Transaction(Database* db) : db_(db) {}
    Database* db_;
};

}  // namespace recoveryd
