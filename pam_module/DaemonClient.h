#pragma once
// The module's side of the bus: MayOffer, StartFlow, Next and Cancel. Each call opens
// its own connection and closes it before returning, so a login waiting for
// a person holds no connection, only the flow's path (DESIGN.md invariant 2).
// Each call ends by one deadline, connect and handshake included, and its
// reply is used only when its sender runs as root (invariant 13).

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "common/FlowProtocol.h"
#include "common/Result.h"
#include "common/Secret.h"

namespace recoveryd::pam {

// The standard system bus socket and nothing else: an application's
// DBUS_SYSTEM_BUS_ADDRESS could lead the module to a fake daemon.
inline constexpr const char* kSystemBusAddress = "unix:path=/run/dbus/system_bus_socket";

// The audit login uid when none is set (the kernel's own "unset").
inline constexpr std::uint32_t kUnsetLoginUid = 4294967295u;

struct FlowMessage {
    MessageStyle style;
    std::string text;
};

struct FlowStep {
    FlowState state;
    std::vector<FlowMessage> messages;
};

// Where the login comes from, for the daemon's policy, caps and audit log.
struct FlowContext {
    std::vector<std::pair<std::string, std::string>> text;  // "service", "tty", "rhost", "ruser"; each optional
    std::uint32_t uid = 0;                                  // the application's real uid
    std::uint32_t loginuid = kUnsetLoginUid;                // its audit login uid
};

class DaemonClient {
public:
    // bus_address is kSystemBusAddress in the module; unit tests pass
    // sockets of their own. call_timeout_usec bounds StartFlow and Cancel,
    // next_timeout_usec bounds Next.
    DaemonClient(std::string bus_address, std::uint64_t call_timeout_usec, std::uint64_t next_timeout_usec);

    // Whether the policy offers recovery to this login (Manager.MayOffer;
    // no user name: the answer cannot depend on the account). Bounded by
    // call_timeout_usec.
    Result<bool> may_offer(const FlowContext& context) const;
    // Returns the new flow's object path.
    Result<std::string> start_flow(const std::string& user, const FlowContext& context) const;
    Result<FlowStep> next(const std::string& flow, const std::vector<Secret>& answers) const;
    Result<void> cancel(const std::string& flow) const;
    // The owner notices waiting for `user` (Manager.TakeNotices), taken:
    // the daemon gives each out once. Bounded like StartFlow.
    Result<std::vector<std::string>> take_notices(const std::string& user) const;

private:
    std::string bus_address_;
    std::uint64_t call_timeout_usec_;
    std::uint64_t next_timeout_usec_;
};

// A started flow. Until the daemon ends it (any state but "continue"), it
// is cancelled when this object goes away, so every way out of a login
// (a failed conversation, a bad reply, a timeout) ends the flow too.
class Flow {
public:
    Flow(const DaemonClient& daemon, std::string path) : daemon_(&daemon), path_(std::move(path)) {}
    ~Flow() { cancel(); }
    Flow(Flow&& other) noexcept
        : daemon_(other.daemon_), path_(std::move(other.path_)), open_(std::exchange(other.open_, false)) {}
    Flow(const Flow&) = delete;
    Flow& operator=(const Flow&) = delete;
    Flow& operator=(Flow&&) = delete;

    Result<FlowStep> next(const std::vector<Secret>& answers);
    // Best effort and bounded by the call timeout; the daemon also expires
    // idle flows.
    void cancel() noexcept;

private:
    const DaemonClient* daemon_;
    std::string path_;
    bool open_ = true;
};

}  // namespace recoveryd::pam
