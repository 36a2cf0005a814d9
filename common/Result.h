#pragma once
// The project's one idiom for expected failures: functions return
// Result<T>, which holds either a value or an Error. Exceptions are not used
// for control flow and never cross a C boundary (PAM, sd-bus, sd-event).

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace recoveryd {

// Kinds of failure. The daemon maps each to a D-Bus error name
// io.recoveryd.Recovery1.Error.<Kind> (see dbus/io.recoveryd.Recovery1.xml).
enum class ErrorCode {
    InvalidArgument,  // the caller sent something malformed
    AccessDenied,     // the caller may not do this
    NotFound,         // no such user, flow, request...
    WrongPassword,    // the current password did not match
    Unavailable,      // a resource is busy or absent; trying later may work
    Corrupt,          // stored data or a file is damaged; refuse to guess
    Io,               // the system refused a read or write
    Internal,         // a bug or an unexpected library failure
};

const char* error_code_name(ErrorCode code);

struct Error {
    ErrorCode code;
    std::string message;  // a sentence a person can act on; never a secret
};

template <typename T>
class [[nodiscard]] Result {
public:
    Result(T value) : state_(std::move(value)) {}
    Result(Error error) : state_(std::move(error)) {}

    bool ok() const { return state_.index() == 0; }
    explicit operator bool() const { return ok(); }

    T& value() & { assert(ok()); return std::get<0>(state_); }
    const T& value() const& { assert(ok()); return std::get<0>(state_); }
    T&& value() && { assert(ok()); return std::get<0>(std::move(state_)); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }

    const Error& error() const { assert(!ok()); return std::get<1>(state_); }

private:
    std::variant<T, Error> state_;
};

template <>
class [[nodiscard]] Result<void> {
public:
    Result() = default;
    Result(Error error) : error_(std::move(error)), ok_(false) {}

    bool ok() const { return ok_; }
    explicit operator bool() const { return ok_; }
    const Error& error() const { assert(!ok_); return error_; }

private:
    Error error_{ErrorCode::Internal, {}};
    bool ok_ = true;
};

inline Error make_error(ErrorCode code, std::string message) {
    return Error{code, std::move(message)};
}

}  // namespace recoveryd
