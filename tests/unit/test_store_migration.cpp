// Unit test for migrating a version-1 database (schema/001 as shipped in the
// first builds): enrollments without a uid are dropped, old audit rows still
// verify, and the chain goes on with rows of the current format.
#include "tests/unit/test_store_fixture.h"

#include <cstdlib>
#include <sys/stat.h>

#include "daemon/store/Migrations.h"

using namespace recoveryd;

namespace {

// Chain hashes of the two rows below, as the version-1 code computed them.
constexpr const char* kV1Hashes[] = {
    "7d650b3f0a7e9ec584114669930f41aeb1a2dda419ad5c9b015ca44827047969",
    "9b58872ef80fe0745ea0f13fcd2254ad3a2e091bd45922da5ab0e02496889949",
};
constexpr const char* kV1Actions[] = {"flow.start", "code.verify"};

std::string schema_001() {
    const char* source = std::getenv("RECOVERYD_SOURCE_DIR");
    if (source == nullptr)
        fail_msg("RECOVERYD_SOURCE_DIR is not set");
    const std::string sql = read_file_bytes(std::filesystem::path(source) / "schema/001_initial.sql");
    assert_false(sql.empty());
    return sql;
}

std::string hex(const Digest& digest) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string out;
    for (std::uint8_t byte : digest) {
        out += kDigits[byte >> 4];
        out += kDigits[byte & 0xf];
    }
    return out;
}

// A database as version 1 left it: one enrollment with a code, two audit rows.
void build_version_1(const StoreDir& d, const Digest& code) {
    {
        auto db = Database::open(d.path.string(), true);
        assert_true(db.ok());
        assert_ok(db->exec(schema_001() + "; PRAGMA user_version = 1;"));
        assert_ok(db->exec("INSERT INTO enrolled_methods VALUES ('alice', 'recovery-codes', 1000)"));
        auto insert = db->prepare("INSERT INTO recovery_codes (user, code_hash) VALUES ('alice', ?1)");
        assert_true(insert.ok());
        assert_ok(insert->bind(1, std::span<const std::uint8_t>(code)).run());
        for (int row = 0; row < 2; ++row)
            assert_ok(db->exec(std::string("INSERT INTO audit VALUES (") + std::to_string(row + 1) +
                               ", 1700000000, 'pam:login', 'alice', 'login', 'tty1', '', '" + kV1Actions[row] +
                               "', 'ok', '', " + (row == 0 ? "zeroblob(32)" : std::string("x'") + kV1Hashes[0] + "'") +
                               ", x'" + kV1Hashes[row] + "')"));
    }
    chmod(d.path.c_str(), 0600);
    assert_string_equal(d.sql("PRAGMA user_version").c_str(), "1");
}

void a_version_1_database_is_brought_up_to_date(void**) {
    StoreDir d;
    const Digest old_code = test_digest("version-1 code");
    build_version_1(d, old_code);

    Store store = d.open();
    assert_string_equal(d.sql("PRAGMA user_version").c_str(), std::to_string(latest_schema_version()).c_str());
    // The enrollment had no uid: gone, with its code, from the files too.
    assert_string_equal(d.sql("SELECT count(*) FROM sqlite_schema WHERE name = 'enrolled_methods'").c_str(), "0");
    assert_string_equal(d.sql("SELECT count(*) FROM enrollments").c_str(), "0");
    assert_string_equal(d.sql("SELECT count(*) FROM recovery_codes").c_str(), "0");
    assert_int_equal(ok_value(store.recovery_code_status("alice", 1000)).enrolled_at, 0);
    assert_false(contains(d.bytes() + d.wal_bytes(), old_code));

    // The old rows verify as format 1; new rows continue the chain.
    assert_audit_intact(store);
    AuditRecord next{};
    next.time = 1700000100;
    next.actor = "pam:su";
    next.target_user = "alice";
    next.action = "flow.start";
    next.outcome = "ok";
    next.ruser = "bob";
    next.app_uid = 1001;
    ok_value(store.append_audit(next));
    assert_audit_intact(store);
    auto rows = ok_value(store.list_audit(10));
    assert_int_equal(rows.size(), 3);
    assert_int_equal(static_cast<int>(rows[0].format), static_cast<int>(AuditFormat::v1));
    assert_string_equal(hex(rows[1].hash).c_str(), kV1Hashes[1]);
    assert_int_equal(rows[1].record.app_uid, -1);
    assert_int_equal(static_cast<int>(rows[2].format), static_cast<int>(AuditFormat::v2));
    assert_true(digests_equal(rows[2].prev_hash, rows[1].hash));
}

// A format-1 hash does not cover the fields added later, so a value in one
// of them was put there afterwards.
void an_old_row_with_new_fields_filled_in_does_not_verify(void**) {
    for (const char* edit : {"ruser = 'root'", "app_uid = 0", "login_uid = 0"}) {
        StoreDir d;
        build_version_1(d, test_digest("code"));
        { Store store = d.open(); }
        d.sql("DROP TRIGGER audit_no_update");
        d.sql(std::string("UPDATE audit SET ") + edit + " WHERE id = 1");
        Store store = d.open();
        const auto verified = ok_value(store.verify_audit_chain());
        assert_false(verified.intact);
        assert_int_equal(verified.first_bad_row, 1);
    }
}

}  // namespace

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_version_1_database_is_brought_up_to_date),
        cmocka_unit_test(an_old_row_with_new_fields_filled_in_does_not_verify),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
