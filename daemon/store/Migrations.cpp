#include "daemon/store/Migrations.h"

#include <string>
#include <vector>

#include "common/EmbeddedFile.h"
#include "daemon/store/StoreSupport.h"

namespace recoveryd::schema {
extern const std::vector<recoveryd::EmbeddedFile> kEmbeddedFiles;
}

namespace recoveryd {
namespace {

Result<std::int64_t> read_user_version(Database& db) { return store_support::pragma_int(db, "user_version"); }

// Migration N is the file whose name starts with the zero-padded N.
Result<void> check_numbering() {
    int expected = 1;
    for (const auto& file : schema::kEmbeddedFiles) {
        if (std::stoi(std::string(file.name.substr(0, 3))) != expected++)
            return make_error(ErrorCode::Internal, "schema files are not numbered 001, 002, ...");
    }
    return {};
}

Result<void> apply_one(Database& db, int version, std::string_view sql) {
    auto transaction = Transaction::begin(db);
    if (!transaction)
        return transaction.error();
    if (auto r = db.exec(std::string(sql)); !r)
        return r;
    if (auto r = db.exec("PRAGMA user_version = " + std::to_string(version)); !r)
        return r;
    return transaction->commit();
}

}  // namespace

int latest_schema_version() {
    return static_cast<int>(schema::kEmbeddedFiles.size());
}

Result<bool> migrations_pending(Database& db) {
    auto current = read_user_version(db);
    if (!current)
        return current.error();
    return *current < latest_schema_version();
}

Result<void> apply_migrations(Database& db) {
    if (auto numbering = check_numbering(); !numbering)
        return numbering;
    auto current = read_user_version(db);
    if (!current)
        return current.error();
    if (*current > latest_schema_version() || *current < 0)
        return make_error(ErrorCode::Corrupt,
                          db.path() + ": schema version " + std::to_string(*current) +
                              " is newer than this recoveryd knows (" + std::to_string(latest_schema_version()) +
                              "); install the newer recoveryd again, or restore a backup");
    for (int version = *current + 1; version <= latest_schema_version(); ++version) {
        const auto& file = schema::kEmbeddedFiles[static_cast<std::size_t>(version - 1)];
        if (auto applied = apply_one(db, version, file.contents); !applied)
            return make_error(applied.error().code,
                              "migration " + std::string(file.name) + " failed: " + applied.error().message);
    }
    return {};
}

}  // namespace recoveryd
