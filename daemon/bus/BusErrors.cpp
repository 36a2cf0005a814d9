#include "daemon/bus/BusErrors.h"

#include <string>

#include "common/BusNames.h"

namespace recoveryd {

int reply_with_error(sd_bus_error* out, const Error& error) {
    const std::string name = std::string(bus::kErrorPrefix) + error_code_name(error.code);
    return sd_bus_error_set(out, name.c_str(), error.message.c_str());
}

int reply_error_later(sd_bus_message* call, const Error& error) {
    const std::string name = std::string(bus::kErrorPrefix) + error_code_name(error.code);
    return sd_bus_reply_method_errorf(call, name.c_str(), "%s", error.message.c_str());
}

}  // namespace recoveryd
