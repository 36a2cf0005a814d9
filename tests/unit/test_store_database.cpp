// Unit tests for the store: migrations, refusing damaged or newer files,
// one-time consumption of codes across processes (the audit chain:
// test_store_audit.cpp).
#include "tests/unit/test_store_fixture.h"

#include <fstream>
#include <string>
#include <sys/stat.h>
#include <sys/wait.h>

#include "daemon/store/Migrations.h"

using namespace recoveryd;

namespace {

constexpr std::int64_t kAlice = 1000;

void migrates_from_empty_and_rerun_changes_nothing(void**) {
    StoreDir d;
    { Store store = d.open(); }
    assert_string_equal(d.sql("PRAGMA user_version").c_str(), std::to_string(latest_schema_version()).c_str());
    assert_string_equal(d.sql("PRAGMA journal_mode").c_str(), "wal");
    for (const char* table : {"enrollments", "recovery_codes", "password_checks", "denial_windows", "audit"})
        assert_string_equal(d.sql(std::string("SELECT count(*) FROM sqlite_schema WHERE name = '") + table + "'").c_str(),
                            "1");
    assert_string_equal(d.sql("SELECT count(*) FROM sqlite_schema WHERE name = 'enrolled_methods'").c_str(), "0");
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
        assert_true(s.replace_recovery_codes("alice", kAlice, {test_digest("1")}, 1).ok());
    }
    truncated.sql("PRAGMA wal_checkpoint(TRUNCATE)");
    const std::string whole = truncated.bytes();
    std::ofstream(truncated.path, std::ios::binary) << whole.substr(0, whole.size() / 2 + 100);
    const std::string damaged = truncated.bytes();
    assert_false(Store::open(truncated.path).ok());
    assert_true(truncated.bytes() == damaged);
}

// A store with a table of 200 rows over many pages, closed cleanly; the
// page numbers that table uses.
std::pair<long, long> store_with_filler(const StoreDir& d) {
    { Store store = d.open(); }
    const long first = std::stol(d.sql("PRAGMA page_count")) + 1;
    d.sql("CREATE TABLE filler (x BLOB)");
    d.sql("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200) "
          "INSERT INTO filler SELECT randomblob(1000) FROM n");
    return {first, std::stol(d.sql("PRAGMA page_count"))};
}

// Overwrites the b-tree header of one page; the file keeps its size.
void damage_page(const StoreDir& d, long page) {
    std::fstream file(d.path, std::ios::binary | std::ios::in | std::ios::out);
    file.seekp((page - 1) * 4096);
    file.write("\xff\xff\xff\xff\xff\xff\xff\xff", 8);
}

// What this process has read with read(2) and pread(2) so far: SQLite
// reads its pages with pread.
std::uintmax_t bytes_read_so_far() {
    std::ifstream io("/proc/self/io");
    std::string key;
    std::uintmax_t value = 0;
    while (io >> key >> value)
        if (key == "rchar:")
            return value;
    fail_msg("no rchar in /proc/self/io");
    return 0;
}

std::uintmax_t bytes_read_by_open(const StoreDir& d) {
    const std::uintmax_t before = bytes_read_so_far();
    { Store store = d.open(); }
    return bytes_read_so_far() - before;
}

// Reading every page at each start would cost a login seconds once the audit
// log is large, so a file a Store closed cleanly and nothing touched since
// is checked by its header and schema only.
void an_untouched_file_is_not_read_whole_at_start(void**) {
    StoreDir d;
    store_with_filler(d);
    { Store store = d.open(); }
    const std::uintmax_t size = std::filesystem::file_size(d.path);
    assert_true(bytes_read_by_open(d) < size / 4);
    std::filesystem::remove(d.path.string() + ".closed");  // no record: read whole
    assert_true(bytes_read_by_open(d) >= size);
}

// Anything else that writes to the file after a clean close, even within
// the same tick of the kernel's clock, makes the next start read every
// page: the damage is refused before anything writes to it.
void a_change_after_a_clean_close_is_found_at_start(void**) {
    StoreDir d;
    const auto [first, last] = store_with_filler(d);
    const long page = (first + last) / 2;
    for (int round = 0; round < 20; ++round) {
        {
            Store store = d.open();  // its last write comes right before the close
            assert_true(store.replace_recovery_codes("alice", kAlice, {test_digest("1")}, 1).ok());
        }
        const std::string whole = d.bytes();
        damage_page(d, page);
        const std::string damaged = d.bytes();
        auto store = Store::open(d.path);
        assert_false(store.ok());
        assert_true(store.error().message.find("damaged") != std::string::npos);
        assert_true(d.bytes() == damaged);
        std::ofstream(d.path, std::ios::binary | std::ios::in | std::ios::out) << whole;  // repaired
    }
}

// A Store that never closed (the daemon was killed) wrote to the file after
// the last record, so the next start reads every page, even with no WAL left.
void a_store_that_did_not_close_makes_the_start_read_every_page(void**) {
    StoreDir d;
    store_with_filler(d);
    { Store store = d.open(); }
    const pid_t killed = fork();
    if (killed == 0) {  // replacing codes checkpoints the WAL; then no close
        auto store = Store::open(d.path);
        _exit(store.ok() && store->replace_recovery_codes("alice", kAlice, {test_digest("1")}, 1).ok() ? 0 : 1);
    }
    int status = 0;
    waitpid(killed, &status, 0);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    std::error_code error;
    assert_int_equal(std::filesystem::file_size(d.path.string() + "-wal", error), 0);
    assert_true(bytes_read_by_open(d) >= std::filesystem::file_size(d.path));
}

// A WAL left with frames (the daemon was killed) is written into the file by
// the checkpoint after opening, so then every page is read first.
void a_wal_left_behind_makes_the_start_read_every_page(void**) {
    StoreDir d;
    const auto [first, last] = store_with_filler(d);
    const pid_t writer = fork();
    if (writer == 0) {  // changes a page in place, and exits without closing: its frame stays in the WAL
        auto db = Database::open(d.path.string(), false);
        _exit(db.ok() && db->exec("UPDATE filler SET x = randomblob(1000) WHERE rowid = 1").ok() ? 0 : 1);
    }
    int status = 0;
    waitpid(writer, &status, 0);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    std::error_code error;
    assert_true(std::filesystem::file_size(d.path.string() + "-wal", error) > 0);
    damage_page(d, (first + last) / 2);
    const std::string damaged = d.bytes();
    auto store = Store::open(d.path);
    assert_false(store.ok());
    assert_true(store.error().message.find("damaged") != std::string::npos);
    assert_true(d.bytes() == damaged);
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
    const std::int64_t alice = ok_value(store.replace_recovery_codes("alice", kAlice, {test_digest("1"), test_digest("2")}, 1000));
    assert_true(store.replace_recovery_codes("bob", 1001, {test_digest("3")}, 1000).ok());
    const CodeCheck first = ok_value(store.consume_recovery_code(attempt_by("alice"), kAlice, test_digest("1")));
    assert_true(first.consumed);
    assert_int_equal(first.enrollment_id, alice);
    assert_int_equal(first.retired, 0);
    assert_false(ok_value(store.consume_recovery_code(attempt_by("alice"), kAlice, test_digest("1"))).consumed);  // used
    assert_false(ok_value(store.consume_recovery_code(attempt_by("alice"), kAlice, test_digest("3"))).consumed);  // bob's
    assert_false(ok_value(store.consume_recovery_code(attempt_by("carol"), 1002, test_digest("2"))).consumed);   // no codes
    auto status = ok_value(store.recovery_code_status("alice", kAlice));
    assert_int_equal(status.remaining, 1);
    assert_int_equal(status.enrolled_at, 1000);
    assert_int_equal(ok_value(store.recovery_code_status("carol", 1002)).enrolled_at, 0);

    const std::int64_t again = ok_value(store.replace_recovery_codes("alice", kAlice, {test_digest("4")}, 2000));
    assert_true(again != alice);
    assert_false(ok_value(store.consume_recovery_code(attempt_by("alice"), kAlice, test_digest("2"))).consumed);  // replaced
    assert_int_equal(ok_value(store.recovery_code_status("alice", kAlice)).enrolled_at, 2000);
    assert_int_equal(ok_value(store.consume_recovery_code(attempt_by("alice"), kAlice, test_digest("4"))).enrollment_id, again);
    assert_int_equal(ok_value(store.recovery_code_status("bob", 1001)).remaining, 1);
}

// Several processes, each with its own connection, race for the same code:
// exactly one wins each round.
void concurrent_processes_have_one_winner(void**) {
    StoreDir d;
    constexpr int kRounds = 20, kRacers = 4;
    { Store store = d.open(); }
    for (int round = 0; round < kRounds; ++round) {
        const Digest code = test_digest(std::to_string(round));
        {
            Store store = d.open();
            assert_true(store.replace_recovery_codes("alice", kAlice, {code}, 1).ok());
        }
        pid_t racers[kRacers];
        for (pid_t& pid : racers) {
            pid = fork();
            if (pid == 0) {
                auto store = Store::open(d.path);
                auto won = store.ok() ? store->consume_recovery_code(attempt_by("alice"), kAlice, code)
                                      : Result<CodeCheck>(make_error(ErrorCode::Internal, "open"));
                _exit(!won.ok() ? 2 : (won->consumed ? 0 : 1));
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

}  // namespace

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(migrates_from_empty_and_rerun_changes_nothing),
        cmocka_unit_test(refuses_newer_schema),
        cmocka_unit_test(refuses_damaged_files_and_leaves_them_alone),
        cmocka_unit_test(an_untouched_file_is_not_read_whole_at_start),
        cmocka_unit_test(a_change_after_a_clean_close_is_found_at_start),
        cmocka_unit_test(a_store_that_did_not_close_makes_the_start_read_every_page),
        cmocka_unit_test(a_wal_left_behind_makes_the_start_read_every_page),
        cmocka_unit_test(refuses_a_database_others_can_read),
        cmocka_unit_test(codes_are_consumed_once),
        cmocka_unit_test(concurrent_processes_have_one_winner),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
