#include "daemon/bus/Authorization.h"

#include "common/SdBus.h"

namespace recoveryd {

namespace {

Result<Caller> identify_caller(sd_bus_message* message) {
    const auto denied = make_error(ErrorCode::AccessDenied, "the caller's identity could not be established");
    const char* sender = sd_bus_message_get_sender(message);
    if (sender == nullptr || sender[0] != ':')
        return denied;
    // No SD_BUS_CREDS_AUGMENT: only what the bus daemon vouches for.
    sd_bus_creds* raw = nullptr;
    if (sd_bus_query_sender_creds(message, SD_BUS_CREDS_EUID, &raw) < 0)
        return denied;
    const BusCredsPtr creds(raw);
    uid_t uid = 0;
    if (sd_bus_creds_get_euid(creds.get(), &uid) < 0)
        return denied;
    return Caller{uid, sender};
}

Result<Caller> require_root(sd_bus_message* message) {
    auto caller = identify_caller(message);
    if (caller && caller->uid != 0)
        return make_error(ErrorCode::AccessDenied, "only root may start or answer a recovery conversation");
    return caller;
}

}  // namespace

Result<Caller> authorize_manager(sd_bus_message* message) { return require_root(message); }

Result<Caller> authorize_flow(sd_bus_message* message) { return require_root(message); }

Result<Caller> authorize_account(sd_bus_message* message) { return identify_caller(message); }

Result<Caller> authorize_admin(sd_bus_message* message, AdminScope scope) {
    auto caller = identify_caller(message);
    if (caller && scope == AdminScope::RootOnly && caller->uid != 0)
        return make_error(ErrorCode::AccessDenied, "permission denied: only root may do this");
    return caller;
}

}  // namespace recoveryd
