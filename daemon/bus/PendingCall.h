#pragma once
// A method call answered later: its handler handed the work to a worker and
// returned; the completion (on the loop) replies through this. Copyable, so
// it fits in the std::function of a job.

#include <memory>
#include <systemd/sd-bus.h>

#include "common/Result.h"
#include "daemon/bus/BusErrors.h"

namespace recoveryd {

class PendingCall {
public:
    explicit PendingCall(sd_bus_message* call) : call_(sd_bus_message_ref(call), sd_bus_message_unref) {}

    sd_bus_message* get() const { return call_.get(); }
    // The error reply; the caller may have left meanwhile, which is fine.
    void fail(const Error& error) const { (void)reply_error_later(call_.get(), error); }

private:
    std::shared_ptr<sd_bus_message> call_;
};

}  // namespace recoveryd
