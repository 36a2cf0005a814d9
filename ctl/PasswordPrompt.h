#pragma once
// Reads the current password: from the terminal with echo off, or one line
// from stdin when stdin is not a terminal (scripts, tests).

#include <string_view>

#include "common/Result.h"
#include "common/Secret.h"

namespace recoveryd::ctl {

Result<Secret> read_password(std::string_view prompt);

}  // namespace recoveryd::ctl
