// Unit tests for the store: migrations, refusing damaged or newer files,
// one-time consumption of codes (also across processes), the audit chain.
#include "tests/unit/UnitTest.h"
#include "tests/unit/TestFiles.h"

#include <filesystem>
#include <fstream>
#include <string>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "daemon/store/Migrations.h"
#include "daemon/store/Store.h"

using namespace recoveryd;
namespace fs = std::filesystem;

namespace {

struct StoreDir {
    fs::path dir;
    fs::path path;
    StoreDir() {
        char pattern[] = "/tmp/recoveryd-store-XXXXXX";
        dir = mkdtemp(pattern);
        path = dir / "recoveryd.db";
    }
    ~StoreDir() { fs::remove_all(dir); }
    Store open() const {
        auto store = Store::open(path);
        if (!store.ok())
            fail_msg("%s", store.error().message.c_str());
        return std::move(store.value());
    }
    // Raw SQL beside the Store, as an attacker or a newer version would.
    std::string sql(const std::string& statement) const {
        auto db = Database::open(path.string(), false);
        assert_true(db.ok());
        auto stmt = db->prepare(statement);
        assert_true(stmt.ok());
        auto row = stmt->step();
        assert_true(row.ok());
        return *row ? stmt->column_text(0) : std::string();
    }
    std::string bytes() const {
        return read_file_bytes(path);
    }
};

Digest digest(std::uint8_t fill) {
    Digest d{};
    d.fill(fill);
    return d;
}

void migrates_from_empty_and_rerun_changes_nothing(void**) {
    StoreDir d;
    { Store store = d.open(); }
    assert_string_equal(d.sql("PRAGMA user_version").c_str(), std::to_string(latest_schema_version()).c_str());
    assert_string_equal(d.sql("PRAGMA journal_mode").c_str(), "wal");
    assert_string_equal(d.sql("SELECT count(*) FROM sqlite_schema WHERE name = 'recovery_codes'").c_str(), "1");
    struct stat st {};
    stat(d.path.c_str(), &st);
    assert_int_equal(st.st_mode & 07777, 0600);
    const std::string schema = d.sql("SELECT group_concat(sql) FROM sqlite_schema");
    { Store again = d.open(); }
    assert_string_equal(d.sql("SELECT group_concat(sql) FROM sqlite_schema").c_str(), schema.c_str());
    assert_string_equal(d.sql("PRAGMA user_version").c_str(), std::to_string(latest_schema_version()).c_str());
}

void refuses_newer_schema(void**) {
    StoreDir d;
    { Store store = d.open(); }
    d.sql("PRAGMA user_version = 99");
    auto store = Store::open(d.path);
    assert_false(store.ok());
    assert_int_equal(static_cast<int>(store.error().code), static_cast<int>(ErrorCode::Corrupt));
    assert_true(store.error().message.find("schema version 99 is newer") != std::string::npos);
}

void refuses_damaged_files_and_leaves_them_alone(void**) {
    StoreDir d;
    std::string noise(8192, '\0');
    for (std::size_t i = 0; i < noise.size(); ++i)
        noise[i] = static_cast<char>((i * 7919) % 251);
    std::ofstream(d.path, std::ios::binary) << noise;
    chmod(d.path.c_str(), 0600);
    auto store = Store::open(d.path);
    assert_false(store.ok());
    assert_true(store.error().message.find(d.path.string()) != std::string::npos);
    assert_true(d.bytes() == noise);

    StoreDir truncated;
    {
        Store s = truncated.open();
        assert_true(s.replace_recovery_codes("alice", {digest(1)}, 1).ok());
    }
    truncated.sql("PRAGMA wal_checkpoint(TRUNCATE)");
    const std::string whole = truncated.bytes();
    std::ofstream(truncated.path, std::ios::binary) << whole.substr(0, whole.size() / 2 + 100);
    const std::string damaged = truncated.bytes();
    assert_false(Store::open(truncated.path).ok());
    assert_true(truncated.bytes() == damaged);
}

void refuses_a_database_others_can_read(void**) {
    StoreDir d;
    { Store store = d.open(); }
    chmod(d.path.c_str(), 0644);
    auto store = Store::open(d.path);
    assert_false(store.ok());
    assert_int_equal(static_cast<int>(store.error().code), static_cast<int>(ErrorCode::AccessDenied));
}

void codes_are_consumed_once(void**) {
    StoreDir d;
    Store store = d.open();
    assert_true(store.replace_recovery_codes("alice", {digest(1), digest(2)}, 1000).ok());
    assert_true(store.replace_recovery_codes("bob", {digest(3)}, 1000).ok());
    assert_true(*store.consume_recovery_code("alice", digest(1)));
    assert_false(*store.consume_recovery_code("alice", digest(1)));  // used
    assert_false(*store.consume_recovery_code("alice", digest(3)));  // bob's
    assert_false(*store.consume_recovery_code("carol", digest(2)));  // no codes at all
    auto status = store.recovery_code_status("alice");
    assert_int_equal(status->remaining, 1);
    assert_int_equal(status->enrolled_at, 1000);
    assert_int_equal(store.recovery_code_status("carol")->enrolled_at, 0);

    assert_true(store.replace_recovery_codes("alice", {digest(4)}, 2000).ok());
    assert_false(*store.consume_recovery_code("alice", digest(2)));  // replaced
    assert_int_equal(store.recovery_code_status("alice")->enrolled_at, 2000);
    assert_true(*store.consume_recovery_code("alice", digest(4)));
    assert_int_equal(store.recovery_code_status("bob")->remaining, 1);
}

// Several processes, each with its own connection, race for the same code:
// exactly one wins each round.
void concurrent_consumers_have_one_winner(void**) {
    StoreDir d;
    constexpr int kRounds = 20, kRacers = 4;
    { Store store = d.open(); }
    for (int round = 0; round < kRounds; ++round) {
        {
            Store store = d.open();
            assert_true(store.replace_recovery_codes("alice", {digest(static_cast<std::uint8_t>(round))}, 1).ok());
        }
        pid_t racers[kRacers];
        for (pid_t& pid : racers) {
            pid = fork();
            if (pid == 0) {
                auto store = Store::open(d.path);
                auto won = store.ok() ? store->consume_recovery_code("alice", digest(static_cast<std::uint8_t>(round)))
                                      : Result<bool>(make_error(ErrorCode::Internal, "open"));
                _exit(!won.ok() ? 2 : (*won ? 0 : 1));
            }
        }
        int winners = 0;
        for (pid_t pid : racers) {
            int status = 0;
            waitpid(pid, &status, 0);
            assert_true(WIFEXITED(status) && WEXITSTATUS(status) != 2);
            winners += WEXITSTATUS(status) == 0;
        }
        assert_int_equal(winners, 1);
    }
}

AuditRecord record(const char* action) {
    return AuditRecord{1700000000, "pam:login", "alice", "login", "tty1", "", action, "ok", ""};
}

void audit_chain_detects_edits(void**) {
    StoreDir d;
    {
        Store store = d.open();
        for (const char* action : {"flow.start", "code.verify", "password.rotate"})
            assert_true(store.append_audit(record(action)).ok());
        assert_true(store.verify_audit_chain().ok());
        auto rows = store.list_audit(2);
        assert_int_equal(rows->size(), 2);
        assert_string_equal((*rows)[1].record.action.c_str(), "password.rotate");
        assert_true(digests_equal((*rows)[1].prev_hash, (*rows)[0].hash));
    }
    d.sql("UPDATE audit SET outcome = 'failed' WHERE id = 2");
    Store store = d.open();
    auto verified = store.verify_audit_chain();
    assert_false(verified.ok());
    assert_true(verified.error().message.find("audit row 2 ") != std::string::npos);
}

void audit_chain_detects_deletions(void**) {
    StoreDir d;
    {
        Store store = d.open();
        for (const char* action : {"flow.start", "code.verify", "password.rotate"})
            assert_true(store.append_audit(record(action)).ok());
    }
    d.sql("DELETE FROM audit WHERE id = 2");
    Store store = d.open();
    auto verified = store.verify_audit_chain();
    assert_false(verified.ok());
    assert_true(verified.error().message.find("audit row 3 ") != std::string::npos);
}

}  // namespace

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(migrates_from_empty_and_rerun_changes_nothing),
        cmocka_unit_test(refuses_newer_schema),
        cmocka_unit_test(refuses_damaged_files_and_leaves_them_alone),
        cmocka_unit_test(refuses_a_database_others_can_read),
        cmocka_unit_test(codes_are_consumed_once),
        cmocka_unit_test(concurrent_consumers_have_one_winner),
        cmocka_unit_test(audit_chain_detects_edits),
        cmocka_unit_test(audit_chain_detects_deletions),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
