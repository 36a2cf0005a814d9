#include "daemon/bus/MessageReader.h"

#include <map>
#include <string_view>

#include "common/FlowProtocol.h"
#include "common/Validation.h"

namespace recoveryd {

namespace {

constexpr std::size_t kMaxContextValueBytes = 256;

Error malformed(const char* what) {
    return make_error(ErrorCode::InvalidArgument, std::string("malformed arguments: ") + what);
}

std::string* context_field(FlowContext& context, std::string_view key) {
    static const std::map<std::string_view, std::string FlowContext::*> kFields = {
        {"service", &FlowContext::service}, {"tty", &FlowContext::tty},       {"rhost", &FlowContext::rhost},
        {"ruser", &FlowContext::ruser},     {"locale", &FlowContext::locale},
    };
    const auto it = kFields.find(key);
    return it == kFields.end() ? nullptr : &(context.*(it->second));
}

Result<void> read_context_entry(sd_bus_message* message, FlowContext& context, std::vector<std::string>& seen) {
    const char* key = nullptr;
    if (sd_bus_message_read(message, "s", &key) < 0)
        return malformed("context keys must be strings");
    std::string* field = context_field(context, key);
    if (field == nullptr)
        return make_error(ErrorCode::InvalidArgument,
                          std::string("unknown context key '") + (is_valid_utf8(key) ? key : "?") +
                              "'; known keys: service, tty, rhost, ruser, locale");
    for (const auto& k : seen)
        if (k == key)
            return make_error(ErrorCode::InvalidArgument, std::string("context key '") + key + "' given twice");
    seen.emplace_back(key);
    const char* value = nullptr;
    if (sd_bus_message_read(message, "v", "s", &value) < 0)
        return make_error(ErrorCode::InvalidArgument, std::string("context value '") + key + "' must be a string");
    if (auto valid = validate_text(std::string("context value '") + key + "'", value, kMaxContextValueBytes); !valid)
        return valid.error();
    *field = value;
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

Result<FlowContext> read_flow_context(sd_bus_message* message) {
    FlowContext context;
    std::vector<std::string> seen;
    if (sd_bus_message_enter_container(message, 'a', "{sv}") < 0)
        return malformed("expected a context dictionary a{sv}");
    for (;;) {
        const int r = sd_bus_message_enter_container(message, 'e', "sv");
        if (r < 0)
            return malformed("bad context entry");
        if (r == 0)
            break;
        if (auto entry = read_context_entry(message, context, seen); !entry)
            return entry.error();
        if (sd_bus_message_exit_container(message) < 0)
            return malformed("bad context entry");
    }
    if (sd_bus_message_exit_container(message) < 0)
        return malformed("bad context dictionary");
    return context;
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

}  // namespace recoveryd
