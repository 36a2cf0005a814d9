#pragma once
// recoveryctl's side of the Account and Admin interfaces: one method per bus
// call, each bounded in time. Errors carry the daemon's own message.

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "common/Result.h"
#include "common/SdBus.h"
#include "common/Secret.h"
#include "ctl/AdminRecords.h"

namespace recoveryd::ctl {

struct AccountStatus {
    std::string user;
    std::uint32_t recovery_codes_remaining = 0;
    std::uint64_t recovery_codes_enrolled_at = 0;  // epoch seconds; 0: none
};

class DaemonClient {
public:
    // Connects to the system bus (DBUS_SYSTEM_BUS_ADDRESS when set).
    static Result<DaemonClient> connect();

    Result<AccountStatus> get_status();
    Result<std::vector<Secret>> enroll_recovery_codes(const Secret& current_password);
    // Admin.ForgetUser (root only): how many enrollments were removed.
    Result<std::uint32_t> forget_user(std::string_view user);

    // The Admin interface (administrators; the daemon decides who is one).
    Result<std::vector<HelpRequest>> list_requests(const RequestFilter& filter);
    Result<Approval> approve_request(std::string_view id, std::string_view note);
    Result<void> deny_request(std::string_view id, std::string_view reason);
    Result<Secret> reset_password(std::string_view user);  // the temporary password
    Result<void> unlock(std::string_view user);
    Result<std::vector<AuditRow>> list_audit(const AuditFilter& filter);
    Result<AuditVerification> verify_audit();  // a tampered log is a value, not an error
    Result<void> reload_policy();

    // Follows Manager.RequestFiled from whichever process owns recoveryd's
    // name, so it goes on across daemon restarts. Calls on_subscribed once
    // the subscription is in place (a signal sent from then on is kept for
    // on_filed, even while on_subscribed calls the daemon; its error ends
    // the watch at once), then on_filed per signal (which may call this
    // client again), until SIGINT or SIGTERM (success) or until the bus
    // connection is lost (Unavailable). Blocks both signals while it runs.
    Result<void> watch_requests(const std::function<Result<void>()>& on_subscribed,
                                const std::function<void(const FiledRequest&)>& on_filed);

private:
    explicit DaemonClient(BusPtr bus) : bus_(std::move(bus)) {}
    BusPtr bus_;
};

}  // namespace recoveryd::ctl
