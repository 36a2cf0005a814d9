#pragma once
// Turns the project's Error into the D-Bus error the caller receives:
// io.recoveryd.Recovery1.Error.<Kind> with the Error's message.

#include <systemd/sd-bus.h>

#include "common/Result.h"

namespace recoveryd {

// Sets *out and returns the negative value an sd-bus method handler returns.
int reply_with_error(sd_bus_error* out, const Error& error);

// The same, sent as the reply to `call` after its handler has returned
// (work done on a worker).
int reply_error_later(sd_bus_message* call, const Error& error);

}  // namespace recoveryd
