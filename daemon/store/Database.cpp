#include "daemon/store/Database.h"

namespace recoveryd {
namespace {

ErrorCode code_for(int sqlite_error) {
    switch (sqlite_error & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return ErrorCode::Unavailable;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
        return ErrorCode::Corrupt;
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
    case SQLITE_PERM:
        return ErrorCode::Io;
    default:
        return ErrorCode::Internal;
    }
}

}  // namespace

Statement& Statement::bind(int index, std::string_view text) {
    if (bind_error_ == SQLITE_OK)
        // An empty view may have no data pointer, which SQLite binds as NULL:
        // text is always text.
        bind_error_ = sqlite3_bind_text(statement_.get(), index, text.empty() ? "" : text.data(),
                                        static_cast<int>(text.size()), SQLITE_TRANSIENT);
    return *this;
}

Statement& Statement::bind(int index, std::int64_t value) {
    if (bind_error_ == SQLITE_OK)
        bind_error_ = sqlite3_bind_int64(statement_.get(), index, value);
    return *this;
}

Statement& Statement::bind(int index, std::span<const std::uint8_t> blob) {
    // An empty span may have no data pointer, which SQLite binds as NULL:
    // an empty blob is a blob.
    if (bind_error_ == SQLITE_OK)
        bind_error_ = blob.empty() ? sqlite3_bind_zeroblob(statement_.get(), index, 0)
                                   : sqlite3_bind_blob(statement_.get(), index, blob.data(),
                                                       static_cast<int>(blob.size()), SQLITE_TRANSIENT);
    return *this;
}

Result<bool> Statement::step() {
    int r = bind_error_;
    if (r == SQLITE_OK)
        r = sqlite3_step(statement_.get());
    if (r == SQLITE_ROW)
        return true;
    if (r == SQLITE_DONE)
        return false;
    return make_error(code_for(r), std::string("database error: ") + sqlite3_errmsg(db_));
}

Result<void> Statement::run() {
    for (;;) {
        auto row = step();
        if (!row)
            return row.error();
        if (!*row)
            return {};
    }
}

Statement& Statement::reset() {
    sqlite3_reset(statement_.get());  // its result repeats the last step's, already reported
    bind_error_ = SQLITE_OK;
    return *this;
}

std::string Statement::column_text(int index) const {
    return std::string(column_view(index));
}

std::string_view Statement::column_view(int index) const {
    const auto* text = sqlite3_column_text(statement_.get(), index);
    return text ? std::string_view(reinterpret_cast<const char*>(text),
                                   static_cast<std::size_t>(sqlite3_column_bytes(statement_.get(), index)))
                : std::string_view();
}

std::span<const std::uint8_t> Statement::column_blob(int index) const {
    const auto* data = static_cast<const std::uint8_t*>(sqlite3_column_blob(statement_.get(), index));
    return {data, static_cast<std::size_t>(sqlite3_column_bytes(statement_.get(), index))};
}

Result<Database> Database::open(const std::string& path, bool create) {
    return open_with(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOFOLLOW | SQLITE_OPEN_FULLMUTEX |
                               (create ? SQLITE_OPEN_CREATE : 0),
                     path);
}

Result<Database> Database::open_for_one_thread(const std::string& path) {
    return open_with(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOFOLLOW | SQLITE_OPEN_NOMUTEX, path);
}

Result<Database> Database::open_immutable(const std::string& path) {
    std::string uri = "file:";
    for (const char c : path) {  // the characters a URI's path may not hold as they are
        if (c == '%' || c == '?' || c == '#') {
            static constexpr char kHex[] = "0123456789ABCDEF";
            uri += {'%', kHex[static_cast<unsigned char>(c) >> 4], kHex[c & 0xf]};
        } else {
            uri += c;
        }
    }
    uri += "?immutable=1";
    return open_with(uri, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOFOLLOW | SQLITE_OPEN_NOMUTEX, path);
}

Result<Database> Database::open_with(const std::string& filename, int flags, std::string path) {
    sqlite3* raw = nullptr;
    const int r = sqlite3_open_v2(filename.c_str(), &raw, flags, nullptr);
    Database db(std::unique_ptr<sqlite3, Close>(raw), std::move(path));
    if (r != SQLITE_OK)
        return db.error(code_for(r), "cannot open the database");
    sqlite3_extended_result_codes(raw, 1);
    return db;
}

Result<void> Database::close() {
    if (!db_)
        return {};
    if (sqlite3_close(db_.get()) != SQLITE_OK) {
        Error failed = error(ErrorCode::Io, "cannot close the database");
        db_.reset();  // sqlite3_close_v2 closes it once its statements are gone
        return failed;
    }
    (void)db_.release();
    return {};
}

Result<Statement> Database::prepare(std::string_view sql) {
    sqlite3_stmt* raw = nullptr;
    const int r = sqlite3_prepare_v3(db_.get(), sql.data(), static_cast<int>(sql.size()), 0, &raw, nullptr);
    if (r != SQLITE_OK)
        return error(code_for(r), "cannot prepare a statement");
    return Statement(db_.get(), raw);
}

Result<void> Database::exec(const std::string& sql) {
    const int r = sqlite3_exec(db_.get(), sql.c_str(), nullptr, nullptr, nullptr);
    if (r != SQLITE_OK)
        return error(code_for(r), "database error");
    return {};
}

Error Database::error(ErrorCode code, std::string_view doing) const {
    std::string message = path_ + ": " + std::string(doing);
    if (db_)
        message += std::string(": ") + sqlite3_errmsg(db_.get());
    return make_error(code, std::move(message));
}

Result<Transaction> Transaction::begin(Database& db) {
    if (auto r = db.exec("BEGIN IMMEDIATE"); !r)
        return r.error();
    return Transaction(&db);
}

Result<void> Transaction::commit() {
    auto r = db_->exec("COMMIT");
    if (r)
        db_ = nullptr;
    return r;
}

Transaction::~Transaction() {
    if (db_ != nullptr)
        (void)db_->exec("ROLLBACK");
}

}  // namespace recoveryd
