// Unit tests for the journal's MESSAGE_IDs: every audit action written
// anywhere in the daemon's source has an entry in journal/recoveryd.catalog
// (a new action without one fails here, naming the file and line); the
// compiled table is sorted, unique and well formed; and systemd's own
// catalog parser (journalctl --update-catalog) accepts the file.
#include "tests/unit/UnitTest.h"
#include "tests/unit/TestFiles.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "daemon/audit/MessageIds.h"

using namespace recoveryd;
namespace fs = std::filesystem;

namespace {

// Dotted literals in the daemon that are file names, not actions.
const std::set<std::string> kFileSuffixes{"catalog", "conf", "d",   "db",  "defs",    "json", "key", "lock",
                                          "log",     "pid",  "so",  "sql", "service", "sock", "tmp", "xml"};

struct Use {
    std::string action;
    std::string where;  // file:line
};

fs::path source_dir() {
    const char* dir = std::getenv("RECOVERYD_SOURCE_DIR");
    if (dir == nullptr)
        fail_msg("RECOVERYD_SOURCE_DIR is not set (ctest sets it)");
    return dir;
}

// "area.verb": lower-case letters, a dot, then letters, digits and hyphens.
bool shaped_like_an_action(std::string_view text) {
    const std::size_t dot = text.find('.');
    const auto area_char = [](char c) { return c >= 'a' && c <= 'z'; };
    const auto verb_char = [&](char c) { return area_char(c) || (c >= '0' && c <= '9') || c == '-'; };
    return dot != std::string_view::npos && dot > 0 && dot + 1 < text.size() &&
           std::all_of(text.begin(), text.begin() + static_cast<long>(dot), area_char) &&
           area_char(text[dot + 1]) &&
           std::all_of(text.begin() + static_cast<long>(dot) + 1, text.end(), verb_char);
}

// The string literals of a line ("..." without escaped quotes in them,
// which no action has).
std::vector<std::string_view> literals(std::string_view line) {
    std::vector<std::string_view> found;
    for (std::size_t open = line.find('"'); open != std::string_view::npos;) {
        const std::size_t close = line.find('"', open + 1);
        if (close == std::string_view::npos)
            break;
        found.push_back(line.substr(open + 1, close - open - 1));
        open = line.find('"', close + 1);
    }
    return found;
}

// Every string literal shaped like an action in daemon/.
std::vector<Use> actions_in_daemon_source() {
    std::vector<Use> uses;
    for (const auto& entry : fs::recursive_directory_iterator(source_dir() / "daemon")) {
        const auto extension = entry.path().extension();
        if (!entry.is_regular_file() || (extension != ".cpp" && extension != ".h"))
            continue;
        std::ifstream in(entry.path());
        std::string line;
        for (int number = 1; std::getline(in, line); ++number) {
            for (const std::string_view literal : literals(line)) {
                const std::string action(literal);
                if (!shaped_like_an_action(action) || kFileSuffixes.contains(action.substr(action.find('.') + 1)))
                    continue;
                uses.push_back({action, fs::relative(entry.path(), source_dir()).string() + ":" +
                                            std::to_string(number)});
            }
        }
    }
    return uses;
}

void every_action_in_the_daemon_has_a_message_id(void**) {
    const std::vector<Use> uses = actions_in_daemon_source();
    std::string missing;
    for (const Use& use : uses)
        if (message_id_for(use.action).empty())
            missing += "  " + use.where + ": \"" + use.action + "\"\n";
    if (!missing.empty())
        fail_msg("these actions have no entry in journal/recoveryd.catalog (add one with a new id from "
                 "systemd-id128 new; a dotted literal that is a file name goes in kFileSuffixes):\n%s",
                 missing.c_str());
    // The scan sees the actions it must: it is not looking at nothing.
    for (const char* known : {"flow.start", "code.verify", "password.rotate", "admin.authorize", "audit.verify"})
        assert_true(std::any_of(uses.begin(), uses.end(), [&](const Use& use) { return use.action == known; }));
}

void the_table_is_sorted_unique_and_well_formed(void**) {
    const auto ids = message_ids();
    assert_true(ids.size() >= 20);
    std::set<std::string_view> seen;
    for (std::size_t i = 0; i < ids.size(); ++i) {
        if (i > 0)
            assert_true(ids[i - 1].action < ids[i].action);
        assert_int_equal(ids[i].id.size(), 32);
        assert_true(ids[i].id.find_first_not_of("0123456789abcdef") == std::string_view::npos);
        assert_true(seen.insert(ids[i].id).second);
        assert_true(message_id_for(ids[i].action) == ids[i].id);
    }
    assert_true(message_id_for("no.such-action").empty());
    assert_true(message_id_for("").empty());
}

std::string run(const std::string& command) {
    std::string out;
    FILE* pipe = popen(command.c_str(), "r");
    assert_non_null(pipe);
    char buffer[4096];
    while (std::fgets(buffer, sizeof buffer, pipe) != nullptr)
        out += buffer;
    if (pclose(pipe) != 0)
        fail_msg("%s failed:\n%s", command.c_str(), out.c_str());
    return out;
}

// What `journalctl -x` will show: systemd's parser reads every entry.
void systemd_reads_the_catalog(void**) {
    if (std::system("command -v journalctl > /dev/null 2>&1") != 0)
        skip();
    TempDir root{"catalog"};
    fs::create_directories(root / "usr/lib/systemd/catalog");
    fs::copy_file(source_dir() / "journal/recoveryd.catalog", root / "usr/lib/systemd/catalog/recoveryd.catalog");
    const std::string dir = root.path().string();
    run("journalctl --root='" + dir + "' --update-catalog 2>&1");
    const std::string listed = run("journalctl --root='" + dir + "' --list-catalog 2>&1");
    for (const MessageId& entry : message_ids())
        if (listed.find(std::string(entry.id) + " recoveryd: ") == std::string::npos)
            fail_msg("journalctl does not list %.*s (%.*s):\n%s", static_cast<int>(entry.id.size()),
                     entry.id.data(), static_cast<int>(entry.action.size()), entry.action.data(), listed.c_str());
}

}  // namespace

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_action_in_the_daemon_has_a_message_id),
        cmocka_unit_test(the_table_is_sorted_unique_and_well_formed),
        cmocka_unit_test(systemd_reads_the_catalog),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
