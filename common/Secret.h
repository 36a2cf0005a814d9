#pragma once
// A secret held in memory (password, recovery code, answer): move-only,
// wiped with explicit_bzero when destroyed or replaced, never copied
// implicitly. Build it once from the source buffer and wipe that buffer too.
//
// For text that is sensitive but must be edited as a string (the shadow
// file, a password hash), SensitiveString wipes every heap buffer it frees.

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

namespace recoveryd {

class Secret {
public:
    Secret() = default;
    explicit Secret(std::string_view text);
    ~Secret();

    Secret(Secret&& other) noexcept;
    Secret& operator=(Secret&& other) noexcept;
    Secret(const Secret&) = delete;
    Secret& operator=(const Secret&) = delete;

    std::string_view view() const { return {data_ ? data_ : "", size_}; }
    const char* c_str() const { return data_ ? data_ : ""; }
    std::size_t size() const { return size_; }
    bool empty() const { return size_ == 0; }

private:
    void wipe() noexcept;

    char* data_ = nullptr;
    std::size_t size_ = 0;
};

// Wipes a buffer the compiler may not optimise away.
void wipe_memory(void* data, std::size_t size) noexcept;

// An allocator that wipes each block before freeing it. A container grows by
// allocating a new block and freeing the old one, so the copies it leaves
// behind are wiped too, not only the last one. `Base` (stateless) does the
// allocating; tests put a checking allocator there.
template <typename T, typename Base = std::allocator<T>>
class WipingAllocator {
public:
    using value_type = T;
    template <typename U>
    struct rebind {
        using other = WipingAllocator<U, typename std::allocator_traits<Base>::template rebind_alloc<U>>;
    };

    WipingAllocator() noexcept = default;
    template <typename U, typename OtherBase>
    WipingAllocator(const WipingAllocator<U, OtherBase>&) noexcept {}

    T* allocate(std::size_t n) {
        Base base;
        return std::allocator_traits<Base>::allocate(base, n);
    }
    void deallocate(T* p, std::size_t n) noexcept {
        wipe_memory(p, n * sizeof(T));
        Base base;
        std::allocator_traits<Base>::deallocate(base, p, n);
    }
};

template <typename T, typename BaseT, typename U, typename BaseU>
bool operator==(const WipingAllocator<T, BaseT>&, const WipingAllocator<U, BaseU>&) noexcept {
    return true;  // stateless: any one frees what another allocated
}

// A string whose heap buffers are wiped when freed. Limit: a short string
// (up to 15 chars in libstdc++) lives inside the object itself, not on the
// heap, and is not wiped; keep those objects short-lived. Copy it only where
// the copy is a SensitiveString too.
using SensitiveString = std::basic_string<char, std::char_traits<char>, WipingAllocator<char>>;

}  // namespace recoveryd
