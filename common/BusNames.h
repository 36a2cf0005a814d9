#pragma once
// Names on the bus. dbus/io.recoveryd.Recovery1.xml documents every member;
// tests/integration checks that the daemon's introspection matches that file.

namespace recoveryd::bus {

inline constexpr const char* kServiceName = "io.recoveryd.Recovery1";
inline constexpr const char* kObjectPath = "/io/recoveryd/Recovery1";
inline constexpr const char* kFlowPathPrefix = "/io/recoveryd/Recovery1/flow";

inline constexpr const char* kManagerInterface = "io.recoveryd.Recovery1.Manager";
inline constexpr const char* kFlowInterface = "io.recoveryd.Recovery1.Flow";
inline constexpr const char* kAccountInterface = "io.recoveryd.Recovery1.Account";
inline constexpr const char* kAdminInterface = "io.recoveryd.Recovery1.Admin";

inline constexpr const char* kErrorPrefix = "io.recoveryd.Recovery1.Error.";
// Not an ErrorCode: only the bus layer gives it (see IdleExit), and the
// module answers it by calling again.
inline constexpr const char* kErrorStopping = "io.recoveryd.Recovery1.Error.Stopping";

}  // namespace recoveryd::bus
