#include "daemon/bus/CallsPerCaller.h"

namespace recoveryd {

Error too_many_calls() {
    return make_error(ErrorCode::Unavailable, "too many of your calls are in progress; try again later");
}

bool CallsPerCaller::start(uid_t uid) {
    if (uid == 0)
        return true;
    if (const auto it = out_.find(uid); it != out_.end() && it->second >= max_)
        return false;
    ++out_[uid];
    return true;
}

void CallsPerCaller::done(uid_t uid) {
    if (uid == 0)
        return;
    if (const auto it = out_.find(uid); it != out_.end() && --it->second == 0)
        out_.erase(it);
}

}  // namespace recoveryd
