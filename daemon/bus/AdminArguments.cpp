#include "daemon/bus/AdminArguments.h"

#include <string>

#include "common/Validation.h"
#include "daemon/bus/MessageReader.h"

namespace recoveryd {
namespace {

Error unknown_key(const char* key, const char* known) {
    return make_error(ErrorCode::InvalidArgument, std::string("unknown filter key '") +
                                                      (is_valid_utf8(key) ? key : "?") + "'; known keys: " + known);
}

Error wrong_type(const char* key, const char* type) {
    return make_error(ErrorCode::InvalidArgument, std::string("filter value '") + key + "' must be " + type);
}

Result<std::string> read_string_value(sd_bus_message* message, const char* key) {
    const char* value = nullptr;
    if (sd_bus_message_read(message, "v", "s", &value) < 0)
        return wrong_type(key, "a string");
    return std::string(value);
}

Result<void> read_user_value(sd_bus_message* message, const char* key, std::string& field) {
    auto user = read_string_value(message, key);
    if (!user)
        return user.error();
    if (auto valid = validate_user_name(*user); !valid)
        return valid.error();
    field = std::move(*user);
    return {};
}

}  // namespace

Result<RequestFilter> read_request_filter(sd_bus_message* message) {
    RequestFilter filter;
    auto read = read_dictionary(message, "the filter", [&](const char* key) -> Result<void> {
        const std::string_view name(key);
        if (name == "User")
            return read_user_value(message, key, filter.user);
        if (name == "State") {
            auto state = read_string_value(message, key);
            if (!state)
                return state.error();
            if (!request_state::is_known(*state))
                return make_error(ErrorCode::InvalidArgument,
                                  "State must be open, approved, denied, completed or expired");
            filter.state = std::move(*state);
            return {};
        }
        return unknown_key(key, "State, User");
    });
    if (!read)
        return read.error();
    return filter;
}

Result<AuditFilter> read_audit_filter(sd_bus_message* message) {
    AuditFilter filter;
    auto read = read_dictionary(message, "the filter", [&](const char* key) -> Result<void> {
        const std::string_view name(key);
        if (name == "User")
            return read_user_value(message, key, filter.user);
        if (name == "Since") {
            std::uint64_t since = 0;
            if (sd_bus_message_read(message, "v", "t", &since) < 0)
                return wrong_type(key, "a uint64 (microseconds since the epoch)");
            filter.since = static_cast<std::int64_t>(since / 1000000);  // audit rows count seconds
            return {};
        }
        if (name == "Limit") {
            std::uint32_t limit = 0;
            if (sd_bus_message_read(message, "v", "u", &limit) < 0)
                return wrong_type(key, "a uint32");
            if (limit == 0 || limit > kMaxAuditRows)
                return make_error(ErrorCode::InvalidArgument,
                                  "Limit must be between 1 and " + std::to_string(kMaxAuditRows));
            filter.limit = limit;
            return {};
        }
        return unknown_key(key, "User, Since, Limit");
    });
    if (!read)
        return read.error();
    return filter;
}

}  // namespace recoveryd
