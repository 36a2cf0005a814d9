// Unit tests for common/Secret.h: Secret and the wiping allocator behind
// SensitiveString free nothing that still holds the secret.
#include "tests/unit/UnitTest.h"

#include <cstring>
#include <memory>
#include <string>

#include "common/Secret.h"

using namespace recoveryd;

namespace {

// Counts the blocks freed through it, and those freed with a byte left set.
struct FreedBlocks {
    static inline std::size_t freed = 0;
    static inline std::size_t dirty = 0;
    static void reset() { freed = dirty = 0; }
};

template <typename T>
struct CheckingAllocator {
    using value_type = T;
    CheckingAllocator() = default;
    template <typename U>
    CheckingAllocator(const CheckingAllocator<U>&) {}
    T* allocate(std::size_t n) { return std::allocator<T>{}.allocate(n); }
    void deallocate(T* p, std::size_t n) {
        const auto* bytes = reinterpret_cast<const unsigned char*>(p);
        bool zero = true;
        for (std::size_t i = 0; i < n * sizeof(T); ++i)
            zero = zero && bytes[i] == 0;
        ++FreedBlocks::freed;
        FreedBlocks::dirty += zero ? 0 : 1;
        std::allocator<T>{}.deallocate(p, n);
    }
};
template <typename T, typename U>
bool operator==(const CheckingAllocator<T>&, const CheckingAllocator<U>&) { return true; }

using CheckedString = std::basic_string<char, std::char_traits<char>, WipingAllocator<char, CheckingAllocator<char>>>;

void deallocate_wipes_the_block(void**) {
    FreedBlocks::reset();
    WipingAllocator<char, CheckingAllocator<char>> allocator;
    char* block = allocator.allocate(100);
    std::memset(block, 'x', 100);
    allocator.deallocate(block, 100);
    assert_int_equal(FreedBlocks::freed, 1);
    assert_int_equal(FreedBlocks::dirty, 0);
}

// Growing a string frees its old buffers as it goes: each one is wiped, and
// so is the last one when the string dies.
void a_growing_string_leaves_no_copy_behind(void**) {
    FreedBlocks::reset();
    {
        CheckedString text;
        for (int i = 0; i < 200; ++i)
            text += "alice:$y$j9T$salt$hash:19000:0:99999:7:::\n";
        CheckedString copy = text;
        copy.replace(0, 5, "bob");
        copy.shrink_to_fit();
    }
    assert_true(FreedBlocks::freed >= 5);  // several reallocations, the copy, its shrink
    assert_int_equal(FreedBlocks::dirty, 0);
}

void sensitive_string_is_a_string(void**) {
    SensitiveString hash = "$y$j9T$0123456789abcdef$0123456789abcdefghijklmnopqrstuvwxyzABC";
    const SensitiveString copy = hash;
    assert_true(copy == hash);
    assert_true(std::string_view(copy).substr(0, 3) == "$y$");
    assert_true(copy.get_allocator() == hash.get_allocator());
}

void secret_moves_and_empties(void**) {
    Secret a("correct horse");
    Secret b(std::move(a));
    assert_true(a.empty());
    assert_string_equal(a.c_str(), "");
    assert_true(b.view() == "correct horse");
    b = Secret("battery staple");
    assert_true(b.view() == "battery staple");
}

}  // namespace

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(deallocate_wipes_the_block),
        cmocka_unit_test(a_growing_string_leaves_no_copy_behind),
        cmocka_unit_test(sensitive_string_is_a_string),
        cmocka_unit_test(secret_moves_and_empties),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
