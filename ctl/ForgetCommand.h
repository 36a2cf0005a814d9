#pragma once
// `recoveryctl forget USER` (root only): deletes every recovery method
// enrolled under the name USER, so that an account created later with the
// same name starts with nothing. Run by ctl/forget-user from userdel.

#include <cstdint>
#include <string>
#include <string_view>

namespace recoveryd::ctl {

// "Removed 1 enrollment of alice." or "alice had nothing enrolled."
std::string format_forget_result(std::string_view user, std::uint32_t removed);

int run_forget(std::string_view user);

}  // namespace recoveryd::ctl
