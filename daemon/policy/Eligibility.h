#pragma once
// Whether the policy lets an account recover its password.

#include "daemon/policy/Policy.h"
#include "daemon/users/UserDatabase.h"

namespace recoveryd {

// Enabled; root only with AllowRoot; other accounts need uid >= MinUid; and
// membership (primary or supplementary) of AllowGroups when it is not empty.
bool may_recover(const Policy& policy, const UserRecord& user);

}  // namespace recoveryd
