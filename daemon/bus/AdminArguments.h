#pragma once
// Reads and validates the Admin interface's arguments (see its XML).

#include <systemd/sd-bus.h>

#include "common/Result.h"
#include "daemon/store/Store.h"

namespace recoveryd {

// Caps on what administrators type (request ids are checked by the
// service, which accepts them in any spelling a person reads back).
inline constexpr std::size_t kMaxRequestIdBytes = 32;
inline constexpr std::size_t kMaxNoteBytes = 500;
inline constexpr std::size_t kMaxAuditRows = 10000;

Result<RequestFilter> read_request_filter(sd_bus_message* message);
Result<AuditFilter> read_audit_filter(sd_bus_message* message);

}  // namespace recoveryd
