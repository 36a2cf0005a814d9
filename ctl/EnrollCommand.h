#pragma once
// `recoveryctl enroll codes`: re-checks the current password, then prints a
// new set of one-time recovery codes, once.

namespace recoveryd::ctl {

int run_enroll_codes();

}  // namespace recoveryd::ctl
