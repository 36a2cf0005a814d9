// Unit tests for reading configuration text without iostreams: lines and
// words split exactly as std::getline and `>>` split them (the code they
// replace), and a file that is missing is told apart from one that cannot
// be read.
#include "tests/unit/UnitTest.h"

#include <cstring>
#include <sstream>
#include <string>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

#include "common/ConfigText.h"

using namespace recoveryd;

namespace {

const char* const kSamples[] = {
    "", "\n", "\n\n", "a", "a\n", "a\nb", "a\nb\n", "\na\n\nb", "  ENCRYPT_METHOD   SHA512  # x\n",
    "\tkey\tvalue\r\n", "a\v b\f c\rd", "   ", "#only a comment", "x\n\n\n",
};

std::vector<std::string> as_strings(const std::vector<std::string_view>& views) {
    return {views.begin(), views.end()};
}

void expect_same(const std::vector<std::string>& expected, const std::vector<std::string>& got, const char* sample,
                 const char* what) {
    if (expected == got)
        return;
    std::string shown;
    for (const auto& item : got)
        shown += "[" + item + "]";
    fail_msg("%s of \"%s\": got %zu items %s, the stream gives %zu", what, sample, got.size(), shown.c_str(),
             expected.size());
}

void lines_are_what_getline_gives(void**) {
    for (const char* sample : kSamples) {
        std::istringstream in{std::string(sample)};
        std::vector<std::string> expected;
        for (std::string line; std::getline(in, line);)
            expected.push_back(line);
        expect_same(expected, as_strings(split_lines(sample)), sample, "lines");
    }
}

void words_are_what_the_stream_gives(void**) {
    for (const char* sample : kSamples) {
        std::istringstream in{std::string(sample)};
        std::vector<std::string> expected;
        for (std::string word; in >> word;)
            expected.push_back(word);
        expect_same(expected, as_strings(split_words(sample)), sample, "words");
    }
}

void a_file_is_read_whole(void**) {
    char path[] = "/tmp/recoveryd-config-text-XXXXXX";
    const int fd = mkstemp(path);
    assert_true(fd >= 0);
    const std::string text(10000, 'x');  // more than one read
    assert_int_equal(write(fd, text.data(), text.size()), static_cast<ssize_t>(text.size()));
    close(fd);
    auto read = read_config_file(path);
    assert_true(read.ok());
    assert_true(read->has_value());
    assert_true(**read == text);
    unlink(path);
}

void a_missing_file_is_not_an_error(void**) {
    auto read = read_config_file("/nonexistent/recoveryd/config");
    assert_true(read.ok());
    assert_false(read->has_value());
}

void an_unreadable_file_is_an_error_naming_it(void**) {
    // A directory cannot be read as a file (EISDIR), even by root.
    auto read = read_config_file("/");
    assert_false(read.ok());
    assert_int_equal(read.error().code, ErrorCode::Io);
    assert_non_null(strstr(read.error().message.c_str(), "/: cannot be read"));
}

}  // namespace

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(lines_are_what_getline_gives),
        cmocka_unit_test(words_are_what_the_stream_gives),
        cmocka_unit_test(a_file_is_read_whole),
        cmocka_unit_test(a_missing_file_is_not_an_error),
        cmocka_unit_test(an_unreadable_file_is_an_error_naming_it),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
