#include "ctl/DaemonClient.h"

#include <cerrno>
#include <cstring>
#include <string_view>

#include "common/BusNames.h"

namespace recoveryd::ctl {
namespace {

// Enrollment hashes a password on the daemon's side: allow it time.
constexpr std::uint64_t kCallTimeoutUsec = 25ULL * 1000 * 1000;

// Maps a failed call to the project's error kinds, keeping the daemon's text.
Error call_error(const BusError& error, int r) {
    const std::string_view name = error.name();
    const std::string_view prefix = bus::kErrorPrefix;
    const std::string message = error.is_set() ? error.message() : std::strerror(-r);
    if (name.substr(0, prefix.size()) == prefix) {
        const std::string_view kind = name.substr(prefix.size());
        for (ErrorCode code : {ErrorCode::InvalidArgument, ErrorCode::AccessDenied, ErrorCode::NotFound,
                               ErrorCode::WrongPassword, ErrorCode::Unavailable, ErrorCode::Corrupt,
                               ErrorCode::Io, ErrorCode::Internal})
            if (kind == error_code_name(code))
                return make_error(code, message);
    }
    if (name == SD_BUS_ERROR_ACCESS_DENIED)  // the bus policy's refusal: its text is for developers
        return make_error(ErrorCode::AccessDenied, "permission denied: you may not make this call to recoveryd");
    return make_error(ErrorCode::Unavailable, "recoveryd is not reachable: " + message);
}

Error parse_error(int r) {
    return make_error(ErrorCode::Internal, std::string("unexpected reply from recoveryd: ") + std::strerror(-r));
}

Result<AccountStatus> read_status(sd_bus_message* reply) {
    AccountStatus status;
    int r = sd_bus_message_enter_container(reply, 'a', "{sv}");
    while (r > 0 && (r = sd_bus_message_enter_container(reply, 'e', "sv")) > 0) {
        const char* key = nullptr;
        if ((r = sd_bus_message_read(reply, "s", &key)) < 0)
            break;
        const std::string_view k = key;
        if (k == "User") {
            const char* user = nullptr;
            r = sd_bus_message_read(reply, "v", "s", &user);
            if (r >= 0)
                status.user = user;
        } else if (k == "RecoveryCodesRemaining") {
            r = sd_bus_message_read(reply, "v", "u", &status.recovery_codes_remaining);
        } else if (k == "RecoveryCodesEnrolledAt") {
            r = sd_bus_message_read(reply, "v", "t", &status.recovery_codes_enrolled_at);
        } else {
            r = sd_bus_message_skip(reply, "v");  // newer daemons may say more
        }
        if (r < 0 || (r = sd_bus_message_exit_container(reply)) < 0)
            break;
    }
    if (r < 0 || sd_bus_message_exit_container(reply) < 0)
        return parse_error(r);
    return status;
}

}  // namespace

Result<DaemonClient> DaemonClient::connect() {
    sd_bus* raw = nullptr;
    int r = sd_bus_open_system(&raw);
    if (r < 0)
        return make_error(ErrorCode::Unavailable,
                          std::string("cannot connect to the system bus: ") + std::strerror(-r));
    BusPtr bus(raw);
    sd_bus_set_method_call_timeout(bus.get(), kCallTimeoutUsec);
    return DaemonClient(std::move(bus));
}

Result<AccountStatus> DaemonClient::get_status() {
    BusError error;
    sd_bus_message* raw = nullptr;
    int r = sd_bus_call_method(bus_.get(), bus::kServiceName, bus::kObjectPath, bus::kAccountInterface,
                               "GetStatus", error.get(), &raw, "");
    BusMessagePtr reply(raw);
    if (r < 0)
        return call_error(error, r);
    return read_status(reply.get());
}

Result<std::vector<Secret>> DaemonClient::enroll_recovery_codes(const Secret& current_password) {
    sd_bus_message* raw = nullptr;
    int r = sd_bus_message_new_method_call(bus_.get(), &raw, bus::kServiceName, bus::kObjectPath,
                                           bus::kAccountInterface, "EnrollRecoveryCodes");
    BusMessagePtr call(raw);
    if (r < 0 || (r = sd_bus_message_sensitive(call.get())) < 0 ||
        (r = sd_bus_message_append(call.get(), "s", current_password.c_str())) < 0)
        return make_error(ErrorCode::Internal, std::string("cannot build the request: ") + std::strerror(-r));

    BusError error;
    raw = nullptr;
    r = sd_bus_call(bus_.get(), call.get(), 0, error.get(), &raw);
    BusMessagePtr reply(raw);
    if (r < 0)
        return call_error(error, r);
    sd_bus_message_sensitive(reply.get());  // codes: wipe the reply buffer on free

    std::vector<Secret> codes;
    if ((r = sd_bus_message_enter_container(reply.get(), 'a', "s")) < 0)
        return parse_error(r);
    const char* code = nullptr;
    while ((r = sd_bus_message_read(reply.get(), "s", &code)) > 0)
        codes.emplace_back(code);
    if (r < 0 || (r = sd_bus_message_exit_container(reply.get())) < 0)
        return parse_error(r);
    return codes;
}

Result<std::uint32_t> DaemonClient::forget_user(std::string_view user) {
    const std::string name(user);
    BusError error;
    sd_bus_message* raw = nullptr;
    int r = sd_bus_call_method(bus_.get(), bus::kServiceName, bus::kObjectPath, bus::kAdminInterface,
                               "ForgetUser", error.get(), &raw, "s", name.c_str());
    BusMessagePtr reply(raw);
    if (r < 0)
        return call_error(error, r);
    std::uint32_t removed = 0;
    r = sd_bus_message_read(reply.get(), "u", &removed);
    if (r <= 0)  // 0: the reply has no count
        return parse_error(r < 0 ? r : -EBADMSG);
    return removed;
}

}  // namespace recoveryd::ctl
