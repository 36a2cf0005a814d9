// The Announcer's notify hook runs (daemon/bus/Announcer): every event the
// hook is due for gets a hook.notify audit row, also when the hook never
// runs: the queue was full, or recoveryd stopped before its turn.

#include "tests/unit/DaemonFixture.h"
#include "tests/unit/SafeDir.h"

#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <thread>

#include "daemon/bus/Announcer.h"
#include "daemon/workers/WorkerPool.h"

using namespace recoveryd;
using namespace recoveryd::test;

namespace {

int setup(void** state) {
    if (geteuid() != 0 || safe_base().empty()) {
        print_message("skipped: needs root, and a build directory or /run owned by root and writable by nobody else\n");
        skip();
    }
    return set_up(state);
}

PasswordReset reset_of(const std::string& user) {
    PasswordReset reset;
    reset.user = user;
    reset.uid = 0;
    reset.at = 1700000000;
    reset.actor = "pam:login";
    return reset;
}

std::string hook_rows(World& w, const std::string& user, const std::string& detail_like) {
    return count_rows(w, "audit",
                      "action = 'hook.notify' AND target_user = '" + user + "' AND detail LIKE '" + detail_like + "'");
}

// One hook running (it waits to be let go), one waiting, one more than the
// queue holds; then recoveryd stops.
void hooks_not_run_are_audited(void** state) {
    auto& w = *static_cast<World*>(*state);
    SafeDir hooks;
    const fs::path started = hooks / "started", release = hooks / "release";
    {
        std::ofstream(hooks / "notify") << "#!/bin/sh\ntouch '" << started.string() << "'\n"
                                        << "while [ ! -e '" << release.string() << "' ]; do sleep 0.05; done\n";
    }
    assert_int_equal(chmod((hooks / "notify").c_str(), 0755), 0);
    w.policy.admin.notify_hook = (hooks / "notify").string();
    w.apply_policy();

    sd_event* raw = nullptr;
    assert_true(sd_event_new(&raw) >= 0);
    EventPtr event(raw);
    auto pool = WorkerPool::start(event.get(), 1, 1);
    assert_true(pool.ok());
    Announcer announcer(nullptr, **pool, *w.services);

    announcer.password_reset(reset_of("running"));
    for (int i = 0; i < 500 && !fs::exists(started); ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    assert_true(fs::exists(started));
    announcer.password_reset(reset_of("waiting"));
    announcer.password_reset(reset_of("beyond"));
    assert_string_equal(hook_rows(w, "beyond", "password reset: %: not run: more hooks were waiting than recoveryd "
                                               "queues")
                            .c_str(),
                        "1");
    assert_string_equal(hook_rows(w, "waiting", "%").c_str(), "0");

    std::ofstream(release).put('\n');
    pool->reset();  // as recoveryd stops: the running hook ends, the waiting one is dropped
    assert_string_equal(hook_rows(w, "running", "password reset: %: exit status 0").c_str(), "1");
    assert_string_equal(hook_rows(w, "waiting", "password reset: %: not run: recoveryd stopped before its turn").c_str(),
                        "1");
    assert_string_equal(count_rows(w, "audit", "action = 'hook.notify'").c_str(), "3");
}

}  // namespace

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(hooks_not_run_are_audited, setup, tear_down),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
