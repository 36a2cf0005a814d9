#include "daemon/bus/MessageReader.h"

#include <cstdint>
#include <functional>
#include <map>
#include <string_view>

#include "common/BusNames.h"
#include "common/FlowProtocol.h"
#include "common/Validation.h"

namespace recoveryd {

namespace {

constexpr std::size_t kMaxContextValueBytes = 256;

Error malformed(const char* what) {
    return make_error(ErrorCode::InvalidArgument, std::string("malformed arguments: ") + what);
}

std::string* text_field(FlowContext& context, std::string_view key) {
    static const std::map<std::string_view, std::string FlowContext::*> kFields = {
        {"service", &FlowContext::service}, {"tty", &FlowContext::tty},       {"rhost", &FlowContext::rhost},
        {"ruser", &FlowContext::ruser},     {"locale", &FlowContext::locale},
    };
    const auto it = kFields.find(key);
    return it == kFields.end() ? nullptr : &(context.*(it->second));
}

std::int64_t* uid_field(FlowContext& context, std::string_view key) {
    if (key == "uid")
        return &context.app_uid;
    if (key == "loginuid")
        return &context.login_uid;
    return nullptr;
}

Result<void> read_text_value(sd_bus_message* message, const char* key, std::string& field) {
    const char* value = nullptr;
    if (sd_bus_message_read(message, "v", "s", &value) < 0)
        return make_error(ErrorCode::InvalidArgument, std::string("context value '") + key + "' must be a string");
    if (auto valid = validate_text(std::string("context value '") + key + "'", value, kMaxContextValueBytes); !valid)
        return valid.error();
    field = value;
    return {};
}

Result<void> read_uid_value(sd_bus_message* message, const char* key, std::int64_t& field) {
    std::uint32_t value = 0;
    if (sd_bus_message_read(message, "v", "u", &value) < 0)
        return make_error(ErrorCode::InvalidArgument, std::string("context value '") + key + "' must be a uint32");
    // (uid_t) -1 is how the kernel says "unset" for the login uid.
    field = value == UINT32_MAX ? FlowContext::kUnknownUid : static_cast<std::int64_t>(value);
    return {};
}

}  // namespace

Result<std::string> read_user_name(sd_bus_message* message) {
    const char* user = nullptr;
    if (sd_bus_message_read(message, "s", &user) < 0)
        return malformed("expected a user name");
    if (auto valid = validate_user_name(user); !valid)
        return valid.error();
    return std::string(user);
}

Result<void> read_dictionary(sd_bus_message* message, const char* what,
                             const std::function<Result<void>(const char* key)>& read_value) {
    const std::string name(what);
    std::vector<std::string> seen;
    if (sd_bus_message_enter_container(message, 'a', "{sv}") < 0)
        return make_error(ErrorCode::InvalidArgument, "malformed arguments: expected a dictionary a{sv} for " + name);
    for (;;) {
        const int r = sd_bus_message_enter_container(message, 'e', "sv");
        if (r < 0)
            return make_error(ErrorCode::InvalidArgument, "malformed arguments: bad entry in " + name);
        if (r == 0)
            break;
        const char* key = nullptr;
        if (sd_bus_message_read(message, "s", &key) < 0)
            return make_error(ErrorCode::InvalidArgument, "malformed arguments: keys of " + name + " must be strings");
        for (const auto& k : seen)
            if (k == key)
                return make_error(ErrorCode::InvalidArgument, name + " key '" + key + "' given twice");
        seen.emplace_back(key);
        if (auto value = read_value(key); !value)
            return value;
        if (sd_bus_message_exit_container(message) < 0)
            return make_error(ErrorCode::InvalidArgument, "malformed arguments: bad entry in " + name);
    }
    if (sd_bus_message_exit_container(message) < 0)
        return make_error(ErrorCode::InvalidArgument, "malformed arguments: bad dictionary for " + name);
    return {};
}

Result<FlowContext> read_flow_context(sd_bus_message* message) {
    FlowContext context;
    auto read = read_dictionary(message, "the context", [&](const char* key) -> Result<void> {
        if (std::string* text = text_field(context, key))
            return read_text_value(message, key, *text);
        if (std::int64_t* uid = uid_field(context, key))
            return read_uid_value(message, key, *uid);
        return make_error(ErrorCode::InvalidArgument,
                          std::string("unknown context key '") + (is_valid_utf8(key) ? key : "?") +
                              "'; known keys: service, tty, rhost, ruser, locale, uid, loginuid");
    });
    if (!read)
        return read.error();
    return context;
}

Result<std::string> read_text(sd_bus_message* message, const char* field, std::size_t max_bytes, bool allow_empty) {
    const char* text = nullptr;
    if (sd_bus_message_read(message, "s", &text) < 0)
        return malformed("expected a string");
    if (auto valid = validate_text(field, text, max_bytes); !valid)
        return valid.error();
    if (!allow_empty && text[0] == '\0')
        return make_error(ErrorCode::InvalidArgument, std::string(field) + " must not be empty");
    return std::string(text);
}

Result<std::vector<Secret>> read_answers(sd_bus_message* message) {
    sd_bus_message_sensitive(message);
    std::vector<Secret> answers;
    if (sd_bus_message_enter_container(message, 'a', "s") < 0)
        return malformed("expected a list of answers");
    for (;;) {
        const char* answer = nullptr;
        const int r = sd_bus_message_read(message, "s", &answer);
        if (r < 0)
            return malformed("answers must be strings");
        if (r == 0)
            break;
        if (answers.size() == kMaxAnswers)
            return make_error(ErrorCode::InvalidArgument,
                              "too many answers: at most " + std::to_string(kMaxAnswers));
        const std::string_view text(answer);
        if (text.size() > kMaxAnswerBytes || !is_valid_utf8(text))
            return make_error(ErrorCode::InvalidArgument, "an answer is longer than " +
                                                              std::to_string(kMaxAnswerBytes) +
                                                              " bytes or not valid UTF-8");
        answers.emplace_back(text);
    }
    if (sd_bus_message_exit_container(message) < 0)
        return malformed("bad list of answers");
    return answers;
}

Result<Secret> read_secret(sd_bus_message* message, const char* field) {
    sd_bus_message_sensitive(message);
    const char* text = nullptr;
    if (sd_bus_message_read(message, "s", &text) < 0)
        return malformed("expected a string");
    const std::string_view view(text);
    if (view.size() > kMaxAnswerBytes || !is_valid_utf8(view))
        return make_error(ErrorCode::InvalidArgument, std::string(field) + " is longer than " +
                                                          std::to_string(kMaxAnswerBytes) +
                                                          " bytes or not valid UTF-8");
    return Secret(view);
}

int mark_typed_secrets_sensitive(sd_bus_message* message, void*, sd_bus_error*) {
    if (sd_bus_message_is_method_call(message, bus::kFlowInterface, "Next") > 0 ||
        sd_bus_message_is_method_call(message, bus::kAccountInterface, "EnrollRecoveryCodes") > 0)
        sd_bus_message_sensitive(message);
    return 0;  // on to the objects
}

}  // namespace recoveryd
