#pragma once
// A secret held in memory (password, recovery code, answer): move-only,
// wiped with explicit_bzero when destroyed or replaced, never copied
// implicitly. Build it once from the source buffer and wipe that buffer too.

#include <cstddef>
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

}  // namespace recoveryd
