#include "common/Secret.h"

#include <cstring>
#include <string.h>
#include <utility>

namespace recoveryd {

void wipe_memory(void* data, std::size_t size) noexcept {
    if (data != nullptr && size > 0)
        explicit_bzero(data, size);
}

Secret::Secret(std::string_view text) : data_(new char[text.size() + 1]), size_(text.size()) {
    std::memcpy(data_, text.data(), text.size());
    data_[size_] = '\0';
}

Secret::~Secret() { wipe(); }

Secret::Secret(Secret&& other) noexcept
    : data_(std::exchange(other.data_, nullptr)), size_(std::exchange(other.size_, 0)) {}

Secret& Secret::operator=(Secret&& other) noexcept {
    if (this != &other) {
        wipe();
        data_ = std::exchange(other.data_, nullptr);
        size_ = std::exchange(other.size_, 0);
    }
    return *this;
}

void Secret::wipe() noexcept {
    if (data_ != nullptr) {
        wipe_memory(data_, size_ + 1);
        delete[] data_;
    }
    data_ = nullptr;
    size_ = 0;
}

}  // namespace recoveryd
