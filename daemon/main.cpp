// recoveryd: the privileged daemon behind "Can't access your account?".
// Loads the policy, opens the store and the key, then serves the system bus
// on an sd-event loop until SIGTERM, or until it has been idle for the
// policy's [Daemon] IdleExitSec (the bus starts it again on the next call).
// Refuses to start on a bad policy, a corrupt database or a damaged key: it
// never serves on guesses.

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <getopt.h>
#include <malloc.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <systemd/sd-daemon.h>

#include "common/SdBus.h"
#include "daemon/Services.h"
#include "daemon/audit/AuditLog.h"
#include "daemon/bus/BusServer.h"
#include "daemon/crypto/SecretKey.h"
#include "daemon/policy/CurrentPolicy.h"
#include "daemon/policy/PolicyLoader.h"
#include "daemon/resets/OwnerNotices.h"
#include "daemon/resets/RotationIntents.h"
#include "daemon/shadow/PasswordHasher.h"
#include "daemon/shadow/ShadowFile.h"
#include "daemon/store/Store.h"

namespace {

using namespace recoveryd;

const std::filesystem::path kStateDirectory = "/var/lib/recoveryd";

int fail(const std::string& what) {
    std::fprintf(stderr, "recoveryd: %s\n", what.c_str());
    return EXIT_FAILURE;
}

Result<void> prepare_state_directory() {
    if (::mkdir(kStateDirectory.c_str(), 0700) < 0 && errno != EEXIST)
        return make_error(ErrorCode::Io, "cannot create " + kStateDirectory.string() + ": " + std::strerror(errno));
    struct stat st {};
    if (::lstat(kStateDirectory.c_str(), &st) < 0 || !S_ISDIR(st.st_mode) || st.st_uid != 0 ||
        (st.st_mode & 0077) != 0)
        return make_error(ErrorCode::AccessDenied, kStateDirectory.string() +
                                                       " must be a directory owned by root with mode 0700; "
                                                       "fix it with: chown root:root " +
                                                       kStateDirectory.string() + " && chmod 0700 " +
                                                       kStateDirectory.string());
    return {};
}

// The key is created after a new store, and every code the store holds was
// hashed with it, so each one alone means the other was lost. Starting
// afresh would silently drop every enrollment, limit and audit row, or
// invalidate every enrolled code: the administrator decides instead.
Result<void> check_store_and_key_belong(const std::filesystem::path& store, const std::filesystem::path& key) {
    std::error_code error;
    const bool has_key = std::filesystem::exists(std::filesystem::symlink_status(key, error));
    const auto size = std::filesystem::file_size(store, error);
    const bool has_store = !error && size > 0;
    if (has_key && !has_store)
        return make_error(ErrorCode::Corrupt, store.string() + " is missing or empty, but its key " + key.string() +
                                                  " is there: restore the store from a backup, or move the key "
                                                  "away too to start over with no enrollments, limits or audit log");
    if (has_key || !has_store)
        return {};
    auto history = Store::has_history(store);
    if (!history)
        return history.error();
    if (*history)
        return make_error(ErrorCode::Corrupt, key.string() + " is missing, but the store " + store.string() +
                                                  " holds history and every code in it was made with that key: "
                                                  "restore the key from a backup, or move the store away too to "
                                                  "start over with no enrollments, limits or audit log");
    return {};
}

// SIGTERM, SIGINT: leave as after an idle period, once the work in
// progress has answered its caller.
int on_stop_signal(sd_event_source*, const struct signalfd_siginfo*, void* userdata) {
    static_cast<BusServer*>(userdata)->stop();
    return 0;
}

int serve(Policy loaded) {
    if (::geteuid() != 0)
        return fail("must run as root");
    // Blocked until the process ends, not only while the loop runs: a second
    // SIGTERM during the teardown (a reset finishing its rewrite, the store
    // closing) must not kill the daemon half way. Blocked before any
    // thread starts: threads inherit the mask.
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGTERM);
    sigaddset(&stop_signals, SIGINT);
    if (pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr) != 0)
        return fail("cannot block signals");
    // One malloc arena for all threads: the workers allocate little, and an
    // arena each cost resident memory the idle daemon never uses again.
    mallopt(M_ARENA_MAX, 1);
    if (auto ready = prepare_state_directory(); !ready)
        return fail(ready.error().message);
    const auto store_path = kStateDirectory / "recoveryd.db", key_path = kStateDirectory / "recoveryd.key";
    if (auto paired = check_store_and_key_belong(store_path, key_path); !paired)
        return fail(paired.error().message);
    auto store = Store::open(store_path);
    if (!store)
        return fail(store.error().message);
    auto key = SecretKey::load_or_create(key_path);  // after the store: see check_store_and_key_belong
    if (!key)
        return fail(key.error().message);
    auto hasher = PasswordHasher::from_system();
    if (!hasher)
        return fail(hasher.error().message);
    ShadowFile shadow;
    // A crash mid-rewrite leaves a temp file (with every hash) beside
    // /etc/shadow. Not a reason to refuse service when the lock is busy
    // (passwd, vipw): the next start looks again.
    if (auto removed = shadow.remove_stale_temp_files(); !removed)
        std::fprintf(stderr, "recoveryd: stale shadow temp files not looked for: %s\n",
                     removed.error().message.c_str());
    else if (*removed > 0)
        std::fprintf(stderr, "recoveryd: removed %zu temp file(s) left by an interrupted shadow rewrite\n", *removed);
    AuditLog audit(*store);
    CurrentPolicy policy(std::move(loaded));
    Services services{policy, *store, *key, audit, shadow, *hasher};
    // A crash between a rewrite of /etc/shadow and the end of what follows
    // it left an intent: audited now, from what the file holds, if its row
    // is missing, and a change made followed up. Not a reason to refuse
    // service: the intent stays for the next start.
    auto settled = settle_interrupted_rotations(services);
    if (!settled)
        std::fprintf(stderr, "recoveryd: interrupted password changes not settled: %s\n",
                     settled.error().message.c_str());
    else if (settled->count > 0)
        std::fprintf(stderr, "recoveryd: finished %zu password change(s) a stop interrupted\n", settled->count);
    // A crash between an owner's notice and its marker would hide the notice.
    if (auto restored = OwnerNotices(*store, services.notice_markers).restore_markers(); !restored)
        std::fprintf(stderr, "recoveryd: owner notices' markers not restored: %s\n",
                     restored.error().message.c_str());

    sd_event* raw_event = nullptr;
    if (sd_event_default(&raw_event) < 0)
        return fail("cannot create the event loop");
    const EventPtr event(raw_event);
    auto server = BusServer::start(raw_event, services);
    if (!server)
        return fail(server.error().message);
    if (settled)
        for (const auto* resets : {&settled->made, &settled->maybe_made})
            for (const PasswordReset& reset : *resets)
                (*server)->announce_reset(reset);  // the notify hook the interrupted change did not run
    // A signal that came during the start-up waits, blocked, until these.
    for (const int sig : {SIGTERM, SIGINT})
        if (sd_event_add_signal(raw_event, nullptr, sig, on_stop_signal, server->get()) < 0)
            return fail("cannot handle signals");
    sd_notify(0, "READY=1\nSTATUS=Serving io.recoveryd.Recovery1");
    std::fprintf(stderr, "recoveryd: serving io.recoveryd.Recovery1\n");
    // 0 after SIGTERM/SIGINT or an idle exit; EXIT_FAILURE when the bus
    // connection is lost.
    const int r = sd_event_loop(raw_event);
    sd_notify(0, "STOPPING=1");
    if (r < 0)
        return fail("event loop failed");
    return r == EXIT_SUCCESS ? EXIT_SUCCESS : fail("lost the connection to the system bus");
}

constexpr int kUsageError = 2;  // recoveryd(8), EXIT STATUS

constexpr const char* kUsage =
    "Usage: recoveryd [--check-policy]\n"
    "       recoveryd --version | -h | --help\n"
    "Account recovery daemon for Linux logins; started by D-Bus activation.\n"
    "\n"
    "  --check-policy  Check the policy files, print the effective policy, and exit\n"
    "  --version       Print the version and exit\n"
    "  -h, --help      Print this help and exit\n";

// getopt_long rather than a command-line library: three options do not pay
// for the code and the start-up work of one in a daemon that starts often.
enum class Command { Serve, CheckPolicy, Done, Usage };

Command parse_command_line(int argc, char** argv) {
    enum { kCheckPolicy = 1, kVersion };
    const option options[] = {{"check-policy", no_argument, nullptr, kCheckPolicy},
                              {"version", no_argument, nullptr, kVersion},
                              {"help", no_argument, nullptr, 'h'},
                              {nullptr, 0, nullptr, 0}};
    Command command = Command::Serve;
    for (int c; (c = getopt_long(argc, argv, "h", options, nullptr)) != -1;) {
        switch (c) {
        case kCheckPolicy:
            command = Command::CheckPolicy;
            break;
        case kVersion:
            std::fputs("recoveryd " RECOVERYD_VERSION "\n", stdout);
            return Command::Done;
        case 'h':
            std::fputs(kUsage, stdout);
            return Command::Done;
        default:  // getopt_long named the bad option
            std::fputs("Try 'recoveryd --help'.\n", stderr);
            return Command::Usage;
        }
    }
    if (optind < argc) {
        std::fprintf(stderr, "recoveryd: unexpected argument '%s'\nTry 'recoveryd --help'.\n", argv[optind]);
        return Command::Usage;
    }
    return command;
}

}  // namespace

int main(int argc, char** argv) {
    const Command command = parse_command_line(argc, argv);
    if (command == Command::Done)
        return EXIT_SUCCESS;
    if (command == Command::Usage)
        return kUsageError;
    const bool check_policy = command == Command::CheckPolicy;
    try {
        auto policy = load_policy();
        if (!policy)
            return fail(policy.error().message);
        if (check_policy) {
            std::fputs(describe_policy(*policy).c_str(), stdout);
            return EXIT_SUCCESS;
        }
        return serve(std::move(*policy));
    } catch (const std::exception& e) {
        return fail(std::string("unexpected error: ") + e.what());
    }
}
