#pragma once
// sd-bus calls our handlers from C: no exception may escape. Every handler
// body runs inside guard_handler, which turns a stray exception (in
// practice std::bad_alloc) into an Internal error reply.

#include <systemd/sd-bus.h>

#include "common/Result.h"
#include "daemon/bus/BusErrors.h"

namespace recoveryd {

template <typename Body>
int guard_handler(sd_bus_error* error, Body&& body) noexcept {
    try {
        return body();
    } catch (...) {
        return reply_with_error(error, make_error(ErrorCode::Internal, "internal error in recoveryd"));
    }
}

}  // namespace recoveryd
