#pragma once
// recoveryctl's side of the Account and Admin interfaces: one method per bus
// call, each bounded in time. Errors carry the daemon's own message.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/Result.h"
#include "common/SdBus.h"
#include "common/Secret.h"

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

private:
    explicit DaemonClient(BusPtr bus) : bus_(std::move(bus)) {}
    BusPtr bus_;
};

}  // namespace recoveryd::ctl
