#include "ctl/DaemonClient.h"

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <exception>
#include <initializer_list>
#include <optional>
#include <string_view>

#include "common/BusNames.h"

namespace recoveryd::ctl {
namespace {

// Enrollment hashes a password on the daemon's side: allow it time.
constexpr std::uint64_t kCallTimeoutUsec = 25ULL * 1000 * 1000;
// VerifyAudit reads the whole log, about a second per million rows or
// three on a busy machine: years of a busy server's rows fit in this.
constexpr std::uint64_t kVerifyTimeoutUsec = 10ULL * 60 * 1000 * 1000;

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

Error build_error(int r) {
    return make_error(ErrorCode::Internal, std::string("cannot build the request: ") + std::strerror(-r));
}

// A call on the Admin interface whose arguments the caller appends.
Result<BusMessagePtr> new_admin_call(sd_bus* bus, const char* member) {
    sd_bus_message* raw = nullptr;
    const int r = sd_bus_message_new_method_call(bus, &raw, bus::kServiceName, bus::kObjectPath,
                                                 bus::kAdminInterface, member);
    if (r < 0)
        return build_error(r);
    return BusMessagePtr(raw);
}

// Sends `call` and waits for the reply, within the connection's call timeout
// unless another is given.
Result<BusMessagePtr> send(sd_bus* bus, sd_bus_message* call, std::uint64_t timeout_usec = 0) {
    BusError error;
    sd_bus_message* raw = nullptr;
    const int r = sd_bus_call(bus, call, timeout_usec, error.get(), &raw);
    BusMessagePtr reply(raw);
    if (r < 0)
        return call_error(error, r);
    return reply;
}

// Sends a call whose arguments are strings and whose reply carries nothing
// we read.
Result<void> call_with_strings(sd_bus* bus, const char* member, std::initializer_list<std::string_view> args) {
    auto call = new_admin_call(bus, member);
    if (!call)
        return call.error();
    for (std::string_view arg : args) {
        const std::string text(arg);
        if (const int r = sd_bus_message_append(call->get(), "s", text.c_str()); r < 0)
            return build_error(r);
    }
    auto reply = send(bus, call->get());
    if (!reply)
        return reply.error();
    return {};
}

int append_text_entry(sd_bus_message* m, const char* key, const std::optional<std::string>& value) {
    return value ? sd_bus_message_append(m, "{sv}", key, "s", value->c_str()) : 0;
}

// One a{sv} value into the member its key names; keys this client does not
// know are skipped (a newer daemon may say more).
template <typename Record, std::size_t N>
int read_field(sd_bus_message* m, const std::array<RecordField<Record>, N>& fields, std::string_view key,
               Record& record) {
    for (const auto& field : fields) {
        if (field.key != key)
            continue;
        if (field.number)
            return sd_bus_message_read(m, "v", "t", &(record.*field.number));
        const char* text = nullptr;
        const int r = sd_bus_message_read(m, "v", "s", &text);
        if (r >= 0)
            record.*field.text = text;
        return r;
    }
    return sd_bus_message_skip(m, "v");
}

// One a{sv} of an aa{sv}: 1 read, 0 the array ended, < 0 malformed.
template <typename Record, std::size_t N>
int read_record(sd_bus_message* m, const std::array<RecordField<Record>, N>& fields, Record& record) {
    int r = sd_bus_message_enter_container(m, 'a', "{sv}");
    if (r <= 0)
        return r;
    while ((r = sd_bus_message_enter_container(m, 'e', "sv")) > 0) {
        const char* key = nullptr;
        if ((r = sd_bus_message_read(m, "s", &key)) < 0 || (r = read_field(m, fields, key, record)) < 0 ||
            (r = sd_bus_message_exit_container(m)) < 0)
            return r;
    }
    if (r < 0 || (r = sd_bus_message_exit_container(m)) < 0)
        return r;
    return 1;
}

template <typename Record, std::size_t N>
Result<std::vector<Record>> read_records(sd_bus_message* m, const std::array<RecordField<Record>, N>& fields) {
    std::vector<Record> records;
    int r = sd_bus_message_enter_container(m, 'a', "a{sv}");
    if (r <= 0)
        return parse_error(r < 0 ? r : -EBADMSG);
    for (Record record; (r = read_record(m, fields, record)) > 0; record = Record{})
        records.push_back(std::move(record));
    if (r < 0 || (r = sd_bus_message_exit_container(m)) < 0)
        return parse_error(r);
    return records;
}

// Blocks signals for its lifetime, so that sd-event receives them instead.
class BlockedSignals {
public:
    explicit BlockedSignals(std::initializer_list<int> signals) {
        sigset_t set;
        sigemptyset(&set);
        for (int s : signals)
            sigaddset(&set, s);
        sigprocmask(SIG_BLOCK, &set, &previous_);
    }
    ~BlockedSignals() { sigprocmask(SIG_SETMASK, &previous_, nullptr); }
    BlockedSignals(const BlockedSignals&) = delete;
    BlockedSignals& operator=(const BlockedSignals&) = delete;

private:
    sigset_t previous_;
};

using FiledHandler = std::function<void(const FiledRequest&)>;

int on_request_filed(sd_bus_message* m, void* userdata, sd_bus_error*) {
    const char* id = nullptr;
    const char* user = nullptr;
    if (sd_bus_message_read(m, "ss", &id, &user) < 0)
        return 0;  // not the documented signal: nothing to show
    try {
        (*static_cast<const FiledHandler*>(userdata))(FiledRequest{id, user});
    } catch (const std::exception& e) {  // never across sd-bus
        std::fprintf(stderr, "recoveryctl: %s\n", e.what());
    }
    return 0;
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

Result<std::vector<HelpRequest>> DaemonClient::list_requests(const RequestFilter& filter) {
    auto call = new_admin_call(bus_.get(), "ListRequests");
    if (!call)
        return call.error();
    sd_bus_message* m = call->get();
    int r = sd_bus_message_open_container(m, 'a', "{sv}");
    if (r < 0 || (r = append_text_entry(m, "State", filter.state)) < 0 ||
        (r = append_text_entry(m, "User", filter.user)) < 0 || (r = sd_bus_message_close_container(m)) < 0)
        return build_error(r);
    auto reply = send(bus_.get(), m);
    if (!reply)
        return reply.error();
    return read_records(reply->get(), kHelpRequestFields);
}

Result<Approval> DaemonClient::approve_request(std::string_view id, std::string_view note) {
    auto call = new_admin_call(bus_.get(), "ApproveRequest");
    if (!call)
        return call.error();
    const std::string id_text(id);
    const std::string note_text(note);
    // Sensitive messages are wiped when freed; the reply is the one with the code.
    if (int r = sd_bus_message_sensitive(call->get());
        r < 0 || (r = sd_bus_message_append(call->get(), "ss", id_text.c_str(), note_text.c_str())) < 0)
        return build_error(r);
    auto reply = send(bus_.get(), call->get());
    if (!reply)
        return reply.error();
    sd_bus_message_sensitive(reply->get());
    const char* code = nullptr;
    Approval approval;
    const int r = sd_bus_message_read(reply->get(), "st", &code, &approval.expires_at_usec);
    if (r <= 0)
        return parse_error(r < 0 ? r : -EBADMSG);
    approval.code = Secret(code);
    return approval;
}

Result<void> DaemonClient::deny_request(std::string_view id, std::string_view reason) {
    return call_with_strings(bus_.get(), "DenyRequest", {id, reason});
}

Result<Secret> DaemonClient::reset_password(std::string_view user) {
    auto call = new_admin_call(bus_.get(), "ResetPassword");
    if (!call)
        return call.error();
    const std::string name(user);
    if (int r = sd_bus_message_sensitive(call->get());
        r < 0 || (r = sd_bus_message_append(call->get(), "s", name.c_str())) < 0)
        return build_error(r);
    auto reply = send(bus_.get(), call->get());
    if (!reply)
        return reply.error();
    sd_bus_message_sensitive(reply->get());
    const char* password = nullptr;
    const int r = sd_bus_message_read(reply->get(), "s", &password);
    if (r <= 0)
        return parse_error(r < 0 ? r : -EBADMSG);
    return Secret(password);
}

Result<void> DaemonClient::unlock(std::string_view user) {
    return call_with_strings(bus_.get(), "Unlock", {user});
}

Result<std::vector<AuditRow>> DaemonClient::list_audit(const AuditFilter& filter) {
    auto call = new_admin_call(bus_.get(), "ListAudit");
    if (!call)
        return call.error();
    sd_bus_message* m = call->get();
    int r = sd_bus_message_open_container(m, 'a', "{sv}");
    if (r >= 0)
        r = append_text_entry(m, "User", filter.user);
    if (r >= 0 && filter.since_usec)
        r = sd_bus_message_append(m, "{sv}", "Since", "t", *filter.since_usec);
    if (r >= 0 && filter.limit)
        r = sd_bus_message_append(m, "{sv}", "Limit", "u", *filter.limit);
    if (r < 0 || (r = sd_bus_message_close_container(m)) < 0)
        return build_error(r);
    auto reply = send(bus_.get(), m);
    if (!reply)
        return reply.error();
    return read_records(reply->get(), kAuditRowFields);
}

Result<AuditVerification> DaemonClient::verify_audit() {
    auto call = new_admin_call(bus_.get(), "VerifyAudit");
    if (!call)
        return call.error();
    auto reply = send(bus_.get(), call->get(), kVerifyTimeoutUsec);
    if (!reply)
        return reply.error();
    int intact = 0;
    const char* problem = nullptr;
    AuditVerification verification;
    const int r = sd_bus_message_read(reply->get(), "btts", &intact, &verification.rows_checked,
                                      &verification.first_bad_row, &problem);
    if (r <= 0)
        return parse_error(r < 0 ? r : -EBADMSG);
    verification.intact = intact != 0;
    verification.problem = problem;
    return verification;
}

Result<void> DaemonClient::reload_policy() {
    return call_with_strings(bus_.get(), "ReloadPolicy", {});
}

Result<void> DaemonClient::watch_requests(const std::function<Result<void>()>& on_subscribed,
                                          const FiledHandler& on_filed) {
    const BlockedSignals blocked{SIGINT, SIGTERM};
    sd_event* raw_event = nullptr;
    int r = sd_event_new(&raw_event);
    EventPtr event(raw_event);
    // No handler: either signal ends the loop with exit code 0.
    if (r < 0 || (r = sd_event_add_signal(event.get(), nullptr, SIGINT, nullptr, nullptr)) < 0 ||
        (r = sd_event_add_signal(event.get(), nullptr, SIGTERM, nullptr, nullptr)) < 0)
        return make_error(ErrorCode::Internal, std::string("cannot wait for signals: ") + std::strerror(-r));

    // The sender is the well-known name: the bus delivers signals from
    // whichever process owns it now, so a restarted daemon is followed too.
    sd_bus_slot* raw_slot = nullptr;
    r = sd_bus_match_signal(bus_.get(), &raw_slot, bus::kServiceName, bus::kObjectPath, bus::kManagerInterface,
                            "RequestFiled", on_request_filed, const_cast<FiledHandler*>(&on_filed));
    BusSlotPtr slot(raw_slot);
    if (r < 0)
        return make_error(ErrorCode::Unavailable,
                          std::string("cannot subscribe to recoveryd's signals: ") + std::strerror(-r));
    // Signals that arrive during its calls wait in the connection's queue,
    // which the loop empties first.
    if (auto ready = on_subscribed(); !ready)
        return ready.error();
    if ((r = sd_bus_attach_event(bus_.get(), event.get(), SD_EVENT_PRIORITY_NORMAL)) < 0)
        return make_error(ErrorCode::Internal, std::string("cannot watch the bus: ") + std::strerror(-r));
    sd_bus_set_exit_on_disconnect(bus_.get(), 1);  // the loop ends with EXIT_FAILURE

    r = sd_event_loop(event.get());
    sd_bus_detach_event(bus_.get());
    if (r < 0)
        return make_error(ErrorCode::Internal, std::string("watching failed: ") + std::strerror(-r));
    if (r != 0)
        return make_error(ErrorCode::Unavailable, "lost the connection to the system bus");
    return {};
}

}  // namespace recoveryd::ctl
