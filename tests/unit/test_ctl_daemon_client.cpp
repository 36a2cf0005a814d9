// Unit tests for recoveryctl's Admin commands against a stand-in for
// recoveryd on a private dbus-daemon: what each command sends (filters with
// their types), how it reads the replies (unknown keys skipped, wrong types
// refused), the daemon's errors as exit statuses (permission denied 4, a
// refused reload 1), and `watch`: it asks the daemon once subscribed (a
// request filed meanwhile is shown, not lost) and, refused,
// ends with 4 without waiting (the bus would keep the signals from such a
// caller, so it would wait in silence); it follows RequestFiled from the
// owner of recoveryd's name only, across a restart of that owner, and ends
// with 0 on SIGTERM. The stand-in answers from a thread of its own; the only time
// limits are generous bounds that keep a broken build from hanging.
#include "tests/unit/UnitTest.h"
#include "tests/unit/PrivateBus.h"
#include "tests/unit/test_ctl_output.h"

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <future>
#include <mutex>
#include <nlohmann/json.hpp>
#include <poll.h>
#include <queue>
#include <string>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <utility>

#include "common/BusNames.h"
#include "common/SdBus.h"
#include "ctl/AuditCommand.h"
#include "ctl/DaemonClient.h"
#include "ctl/DecisionCommands.h"
#include "ctl/ExitCode.h"
#include "ctl/PolicyCommands.h"
#include "ctl/RequestsCommand.h"

using namespace recoveryd;
using namespace recoveryd::ctl;

namespace {

constexpr int kGenerousBoundMs = 20000;
constexpr const char* kApprovalCode = "7KQM-4XZP-A9R2";
constexpr const char* kTemporaryPassword = "tidal-orbit-crane-47";
constexpr std::uint64_t kFiledAt = 1795600800ULL * 1000000;  // 2026-11-25T10:00:00Z

// For the stand-in's thread, where cmocka's assertions must not run (they
// jump back into the test's thread).
void must(bool ok, const char* what) {
    if (!ok) {
        std::fprintf(stderr, "fake recoveryd: %s failed\n", what);
        std::abort();
    }
}

BusPtr connect_to_test_bus() {
    sd_bus* raw = nullptr;
    must(sd_bus_open_system(&raw) >= 0, "connecting");
    return BusPtr(raw);
}

// "Key=t:value;" for each entry of the a{sv} at the message's position.
std::string read_filter(sd_bus_message* m) {
    std::string out;
    must(sd_bus_message_enter_container(m, 'a', "{sv}") >= 0, "reading a filter");
    while (sd_bus_message_enter_container(m, 'e', "sv") > 0) {
        const char* key = nullptr;
        const char* contents = nullptr;
        must(sd_bus_message_read(m, "s", &key) >= 0, "reading a filter");
        must(sd_bus_message_peek_type(m, nullptr, &contents) > 0, "reading a filter");
        out += std::string(key) + "=" + contents + ":";
        if (contents == std::string("s")) {
            const char* text = nullptr;
            must(sd_bus_message_read(m, "v", "s", &text) > 0, "reading a filter");
            out += text;
        } else if (contents == std::string("t")) {
            std::uint64_t number = 0;
            must(sd_bus_message_read(m, "v", "t", &number) > 0, "reading a filter");
            out += std::to_string(number);
        } else if (contents == std::string("u")) {
            std::uint32_t number = 0;
            must(sd_bus_message_read(m, "v", "u", &number) > 0, "reading a filter");
            out += std::to_string(number);
        } else {
            must(sd_bus_message_skip(m, "v") >= 0, "reading a filter");
        }
        out += ";";
        must(sd_bus_message_exit_container(m) >= 0, "reading a filter");
    }
    must(sd_bus_message_exit_container(m) >= 0, "reading a filter");
    return out;
}

// Stands in for recoveryd: owns its name, answers the Admin interface with
// fixed data, records what it was sent, and runs tasks in its own thread.
class FakeDaemon {
public:
    FakeDaemon() {
        connect();
        thread_ = std::thread([this] { serve(); });
    }
    ~FakeDaemon() {
        run([this] { stop_ = true; });
        thread_.join();
    }
    FakeDaemon(const FakeDaemon&) = delete;
    FakeDaemon& operator=(const FakeDaemon&) = delete;

    // Runs `task` in the daemon's thread and waits for it.
    void run(std::function<void()> task) {
        std::packaged_task<void()> packaged(std::move(task));
        auto done = packaged.get_future();
        {
            std::lock_guard lock(mutex_);
            tasks_.push(std::move(packaged));
        }
        assert_true(done.wait_for(std::chrono::milliseconds(kGenerousBoundMs)) == std::future_status::ready);
    }

    // A new process takes the name over, as after a restart.
    void restart() {
        run([this] {
            bus_.reset();
            connect();
        });
    }

    void emit_request_filed(const char* id, const char* user) {
        run([&] {
            must(sd_bus_emit_signal(bus_.get(), bus::kObjectPath, bus::kManagerInterface, "RequestFiled", "ss", id,
                                    user) >= 0,
                 "emitting RequestFiled");
            must(sd_bus_flush(bus_.get()) >= 0, "flushing");
        });
    }

    std::string last_call() {
        std::lock_guard lock(mutex_);
        return last_call_;
    }

    // From now on ListRequests is refused, as recoveryd refuses a caller who
    // is not an administrator.
    void refuse_list_requests() {
        run([this] { refuse_list_requests_ = true; });
    }

    // The next ListRequests for the open requests is followed at once by a
    // RequestFiled, as when a login files one while watch starts.
    void file_after_next_count() {
        run([this] { file_after_count_ = true; });
    }

private:
    // Takes recoveryd's name; after a restart the bus may not yet have seen
    // the old owner go, so queue for it and wait until it is ours.
    void connect() {
        bus_ = connect_to_test_bus();
        must(sd_bus_add_object_vtable(bus_.get(), nullptr, bus::kObjectPath, bus::kAdminInterface, kVtable,
                                      this) >= 0,
             "adding the Admin interface");
        must(sd_bus_request_name(bus_.get(), bus::kServiceName, SD_BUS_NAME_QUEUE) >= 0, "requesting the name");
        const char* unique = nullptr;
        must(sd_bus_get_unique_name(bus_.get(), &unique) >= 0, "reading the unique name");
        for (int tries = 0; !owns_name(unique); ++tries) {
            must(tries < 1000, "becoming the name's owner");
            while (sd_bus_process(bus_.get(), nullptr) > 0) {
            }
            sd_bus_wait(bus_.get(), 20 * 1000);
        }
    }

    bool owns_name(const char* unique) {
        sd_bus_message* raw = nullptr;
        const int r = sd_bus_call_method(bus_.get(), "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                         "org.freedesktop.DBus", "GetNameOwner", nullptr, &raw, "s",
                                         bus::kServiceName);
        BusMessagePtr reply(raw);
        const char* owner = nullptr;
        return r >= 0 && sd_bus_message_read(reply.get(), "s", &owner) > 0 && std::string(owner) == unique;
    }

    void serve() {
        while (!stop_) {
            std::queue<std::packaged_task<void()>> tasks;
            {
                std::lock_guard lock(mutex_);
                std::swap(tasks, tasks_);
            }
            for (; !tasks.empty(); tasks.pop())
                tasks.front()();
            if (stop_)
                break;
            if (sd_bus_process(bus_.get(), nullptr) > 0)
                continue;
            sd_bus_wait(bus_.get(), 20 * 1000);  // wakes to look at the tasks
        }
        bus_.reset();
    }

    void record(std::string call) {
        std::lock_guard lock(mutex_);
        last_call_ = std::move(call);
    }

    static FakeDaemon& self(void* userdata) { return *static_cast<FakeDaemon*>(userdata); }

    static int append_request(sd_bus_message* reply, const char* id, const char* user, bool filed_at_as_text) {
        int r = sd_bus_message_open_container(reply, 'a', "{sv}");
        for (const auto& [key, value] : {std::pair<const char*, const char*>{"Id", id},
                                         {"User", user},
                                         {"Account", "recoverable"},
                                         {"Service", "login"},
                                         {"Tty", "tty3"},
                                         {"RHost", ""},
                                         {"Contact", "call 555-0100\n(ask for \"Al\")"},
                                         {"Reason", "locked out"},
                                         {"State", "open"},
                                         {"DecidedBy", ""},
                                         {"Note", ""}})
            if (r >= 0)
                r = sd_bus_message_append(reply, "{sv}", key, "s", value);
        if (r >= 0)
            r = filed_at_as_text ? sd_bus_message_append(reply, "{sv}", "FiledAt", "s", "yesterday")
                                 : sd_bus_message_append(reply, "{sv}", "FiledAt", "t", kFiledAt);
        if (r >= 0)  // a key from a newer daemon
            r = sd_bus_message_append(reply, "{sv}", "Future", "as", 2, "a", "b");
        return r < 0 ? r : sd_bus_message_close_container(reply);
    }

    static int on_list_requests(sd_bus_message* m, void* userdata, sd_bus_error* error) {
        const std::string filter = read_filter(m);
        self(userdata).record("ListRequests " + filter);
        if (self(userdata).refuse_list_requests_)
            return sd_bus_error_set(error, "io.recoveryd.Recovery1.Error.AccessDenied",
                                    "permission denied: you are not an administrator");
        if (filter == "User=s:bob;")
            return sd_bus_error_set(error, "io.recoveryd.Recovery1.Error.Unavailable", "busy");
        sd_bus_message* raw = nullptr;
        int r = sd_bus_message_new_method_return(m, &raw);
        BusMessagePtr reply(raw);
        if (r >= 0)
            r = sd_bus_message_open_container(reply.get(), 'a', "a{sv}");
        if (r >= 0)
            r = append_request(reply.get(), "K7Q-4MZ", "alice", filter == "User=s:typo;");
        if (r >= 0 && filter.empty())
            r = append_request(reply.get(), "M2P-8TR", "bob", false);
        if (r < 0 || (r = sd_bus_message_close_container(reply.get())) < 0)
            return r;
        if ((r = sd_bus_send(nullptr, reply.get(), nullptr)) < 0)
            return r;
        if (filter == "State=s:open;" && std::exchange(self(userdata).file_after_count_, false))
            r = sd_bus_emit_signal(sd_bus_message_get_bus(m), bus::kObjectPath, bus::kManagerInterface,
                                   "RequestFiled", "ss", "R9X-2LD", "carol");
        return r;
    }

    static int on_approve(sd_bus_message* m, void* userdata, sd_bus_error*) {
        const char* id = nullptr;
        const char* note = nullptr;
        must(sd_bus_message_read(m, "ss", &id, &note) > 0, "reading arguments");
        self(userdata).record(std::string("ApproveRequest ") + id + " " + note);
        return sd_bus_reply_method_return(m, "st", kApprovalCode, kFiledAt + 3600ULL * 1000000);
    }

    static int on_deny(sd_bus_message* m, void* userdata, sd_bus_error* error) {
        const char* id = nullptr;
        const char* reason = nullptr;
        must(sd_bus_message_read(m, "ss", &id, &reason) > 0, "reading arguments");
        self(userdata).record(std::string("DenyRequest ") + id + " " + reason);
        if (id == std::string("GONE-000"))
            return sd_bus_error_set(error, "io.recoveryd.Recovery1.Error.NotFound", "no request GONE-000");
        return sd_bus_reply_method_return(m, "");
    }

    static int on_reset(sd_bus_message* m, void* userdata, sd_bus_error*) {
        const char* user = nullptr;
        must(sd_bus_message_read(m, "s", &user) > 0, "reading arguments");
        self(userdata).record(std::string("ResetPassword ") + user);
        return sd_bus_reply_method_return(m, "s", kTemporaryPassword);
    }

    static int on_unlock(sd_bus_message* m, void* userdata, sd_bus_error* error) {
        const char* user = nullptr;
        must(sd_bus_message_read(m, "s", &user) > 0, "reading arguments");
        self(userdata).record(std::string("Unlock ") + user);
        if (user == std::string("carol"))
            return sd_bus_error_set(error, "io.recoveryd.Recovery1.Error.AccessDenied",
                                    "permission denied: you are not an administrator");
        return sd_bus_reply_method_return(m, "");
    }

    static int on_list_audit(sd_bus_message* m, void* userdata, sd_bus_error*) {
        self(userdata).record("ListAudit " + read_filter(m));
        return sd_bus_reply_method_return(m, "aa{sv}", 1, 3, "Id", "t", std::uint64_t{17}, "Time", "t", kFiledAt,
                                          "Action", "s", "request.approve");
    }

    static int on_verify_audit(sd_bus_message* m, void* userdata, sd_bus_error*) {
        self(userdata).record("VerifyAudit");
        return sd_bus_reply_method_return(m, "btts", 0, std::uint64_t{17}, std::uint64_t{17}, "row 17 was changed");
    }

    static int on_reload(sd_bus_message* m, void* userdata, sd_bus_error* error) {
        self(userdata).record("ReloadPolicy");
        return sd_bus_error_set(error, "io.recoveryd.Recovery1.Error.InvalidArgument",
                                "/etc/recoveryd/recoveryd.conf:3: FlowTimeoutSec must be a number");
        (void)m;
    }

    static constexpr sd_bus_vtable kVtable[] = {
        SD_BUS_VTABLE_START(0),
        SD_BUS_METHOD("ListRequests", "a{sv}", "aa{sv}", on_list_requests, 0),
        SD_BUS_METHOD("ApproveRequest", "ss", "st", on_approve, 0),
        SD_BUS_METHOD("DenyRequest", "ss", "", on_deny, 0),
        SD_BUS_METHOD("ResetPassword", "s", "s", on_reset, 0),
        SD_BUS_METHOD("Unlock", "s", "", on_unlock, 0),
        SD_BUS_METHOD("ListAudit", "a{sv}", "aa{sv}", on_list_audit, 0),
        SD_BUS_METHOD("VerifyAudit", "", "btts", on_verify_audit, 0),
        SD_BUS_METHOD("ReloadPolicy", "", "", on_reload, 0),
        SD_BUS_VTABLE_END,
    };

    BusPtr bus_;
    std::thread thread_;
    std::mutex mutex_;
    std::queue<std::packaged_task<void()>> tasks_;
    std::string last_call_;
    bool stop_ = false;  // only the daemon's thread reads or writes it
    bool refuse_list_requests_ = false;  // likewise
    bool file_after_count_ = false;      // likewise
};

struct World {
    PrivateBus bus;
    FakeDaemon daemon;
};

int set_up(void** state) {
    *state = new World;
    return 0;
}

int tear_down(void** state) {
    delete static_cast<World*>(*state);
    return 0;
}

FakeDaemon& daemon_of(void** state) {
    return static_cast<World*>(*state)->daemon;
}

void requests_sends_the_filter_and_reads_every_field(void** state) {
    FakeDaemon& daemon = daemon_of(state);
    const Captured open = capture_output([] { return run_requests(false, false); });
    assert_int_equal(open.code, kExitOk);
    assert_string_equal(daemon.last_call().c_str(), "ListRequests State=s:open;");
    assert_int_equal(open.out.find(kIdentityReminder), 0);
    assert_true(contains(open.out, "Request K7Q-4MZ\n  User:        \"alice\"\n  Account:     recoverable\n"
                                   "  Filed at:    2026-11-25T10:00:00Z\n"));
    assert_true(contains(open.out, "  Contact:     \"call 555-0100\\n(ask for \\\"Al\\\")\"\n"));
    assert_false(contains(open.out, "M2P-8TR"));  // the stand-in lists it only without a filter

    const Captured all = capture_output([] { return run_requests(true, true); });
    assert_int_equal(all.code, kExitOk);
    assert_string_equal(daemon.last_call().c_str(), "ListRequests ");
    const auto parsed = nlohmann::json::parse(all.out);
    assert_int_equal(parsed.size(), 2);
    assert_int_equal(parsed[0]["FiledAt"].get<std::uint64_t>(), kFiledAt);
    assert_string_equal(parsed[1]["Id"].get<std::string>().c_str(), "M2P-8TR");
    assert_false(parsed[0].contains("Future"));
}

void a_reply_of_the_wrong_type_is_refused(void**) {
    auto client = DaemonClient::connect();
    assert_true(client.ok());
    auto requests = client->list_requests(RequestFilter{std::nullopt, std::string("typo")});
    assert_false(requests.ok());
    assert_int_equal(requests.error().code, ErrorCode::Internal);
    assert_true(contains(requests.error().message, "unexpected reply from recoveryd"));
}

void decisions_send_their_arguments(void** state) {
    FakeDaemon& daemon = daemon_of(state);
    const Captured approve = capture_output([] { return run_approve("K7Q-4MZ", "called back"); });
    assert_int_equal(approve.code, kExitOk);
    assert_string_equal(daemon.last_call().c_str(), "ApproveRequest K7Q-4MZ called back");
    assert_true(contains(approve.out, std::string("\n    ") + kApprovalCode + "\n"));
    assert_true(contains(approve.out, "expires at 2026-11-25T11:00:00Z"));

    const Captured deny = capture_output([] { return run_deny("K7Q-4MZ", "not the holder"); });
    assert_int_equal(deny.code, kExitOk);
    assert_string_equal(daemon.last_call().c_str(), "DenyRequest K7Q-4MZ not the holder");

    const Captured reset = capture_output([] { return run_reset_password("alice"); });
    assert_int_equal(reset.code, kExitOk);
    assert_string_equal(daemon.last_call().c_str(), "ResetPassword alice");
    assert_true(contains(reset.out, std::string("\n    ") + kTemporaryPassword + "\n"));

    const Captured unlock = capture_output([] { return run_unlock("alice"); });
    assert_int_equal(unlock.code, kExitOk);
    assert_string_equal(daemon.last_call().c_str(), "Unlock alice");
}

void audit_sends_typed_filter_values(void** state) {
    FakeDaemon& daemon = daemon_of(state);
    AuditOptions options;
    options.user = "alice";
    options.since = "1970-01-02";
    options.limit = 5;
    const Captured audit = capture_output([&] { return run_audit(options); });
    assert_int_equal(audit.code, kExitOk);
    assert_string_equal(daemon.last_call().c_str(), "ListAudit User=s:alice;Since=t:86400000000;Limit=u:5;");
    assert_string_equal(audit.out.c_str(), "2026-11-25T10:00:00Z  #17  request.approve  \n");
    const Captured plain = capture_output([] { return run_audit(AuditOptions{}); });
    assert_int_equal(plain.code, kExitOk);
    assert_string_equal(daemon.last_call().c_str(), "ListAudit ");
}

// A tampered log is the daemon's answer, not an error: printed on stdout,
// with an exit status of its own.
void audit_verify_reports_a_tampered_log_with_exit_5(void** state) {
    FakeDaemon& daemon = daemon_of(state);
    AuditOptions options;
    options.verify = true;
    const Captured verify = capture_output([&] { return run_audit(options); });
    assert_string_equal(daemon.last_call().c_str(), "VerifyAudit");
    assert_int_equal(verify.code, kExitTampered);
    assert_true(verify.out.starts_with("audit log has been tampered with: row 17 was changed (17 rows checked)\n"));
    assert_true(verify.err.empty());
}

void the_daemons_refusals_become_exit_statuses(void** state) {
    FakeDaemon& daemon = daemon_of(state);
    const Captured denied = capture_output([] { return run_unlock("carol"); });
    assert_int_equal(denied.code, kExitDenied);
    assert_string_equal(denied.err.c_str(), "recoveryctl: permission denied: you are not an administrator\n");
    assert_true(denied.out.empty());

    const Captured reload = capture_output([] { return run_reload(); });
    assert_string_equal(daemon.last_call().c_str(), "ReloadPolicy");
    assert_int_equal(reload.code, kExitFailure);
    assert_string_equal(reload.err.c_str(),
                        "recoveryctl: /etc/recoveryd/recoveryd.conf:3: FlowTimeoutSec must be a number\n");

    const Captured missing = capture_output([] { return run_deny("GONE-000", "x"); });
    assert_int_equal(missing.code, kExitFailure);
    assert_true(contains(missing.err, "no request GONE-000"));
}

// recoveryctl watch in a child, its stdout read line by line.
class Watcher {
public:
    Watcher() {
        int out[2];
        assert_int_equal(pipe2(out, O_CLOEXEC), 0);
        std::fflush(stdout);  // or the child's first flush repeats what the test printed
        pid_ = fork();
        assert_true(pid_ >= 0);
        if (pid_ == 0) {
            prctl(PR_SET_PDEATHSIG, SIGKILL);
            dup2(out[1], STDOUT_FILENO);
            const int err = open((dir_ / "err").c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
            if (err < 0 || dup2(err, STDERR_FILENO) < 0)
                _exit(99);
            // Not the stand-in's connection: the bus must see it go when it restarts.
            close_range(3, ~0U, 0);
            _exit(run_watch());
        }
        close(out[1]);
        fd_ = out[0];
    }
    ~Watcher() {
        if (pid_ > 0) {
            kill(pid_, SIGKILL);
            waitpid(pid_, nullptr, 0);
        }
        close(fd_);
    }
    Watcher(const Watcher&) = delete;
    Watcher& operator=(const Watcher&) = delete;

    // Everything printed up to and including the first line with `needle`.
    std::string read_through(const std::string& needle) {
        while (true) {
            const auto at = buffer_.find(needle);
            const auto end = at == std::string::npos ? at : buffer_.find('\n', at);
            if (end != std::string::npos) {
                std::string out = buffer_.substr(0, end + 1);
                buffer_.erase(0, end + 1);
                return out;
            }
            struct pollfd ready = {fd_, POLLIN, 0};
            if (poll(&ready, 1, kGenerousBoundMs) != 1)
                fail_msg("watch never printed \"%s\"; it printed \"%s\"", needle.c_str(), buffer_.c_str());
            char chunk[4096];
            const ssize_t n = read(fd_, chunk, sizeof chunk);
            if (n <= 0)
                fail_msg("watch ended before printing \"%s\"; it printed \"%s\"", needle.c_str(), buffer_.c_str());
            buffer_.append(chunk, static_cast<std::size_t>(n));
        }
    }

    // Everything it printed until it ended on its own, and its exit status.
    std::pair<std::string, int> read_to_end() {
        while (true) {
            struct pollfd ready = {fd_, POLLIN, 0};
            if (poll(&ready, 1, kGenerousBoundMs) != 1)
                fail_msg("watch did not end; it printed \"%s\"", buffer_.c_str());
            char chunk[4096];
            const ssize_t n = read(fd_, chunk, sizeof chunk);
            if (n <= 0)
                break;
            buffer_.append(chunk, static_cast<std::size_t>(n));
        }
        int status = 0;
        assert_int_equal(waitpid(pid_, &status, 0), pid_);
        pid_ = -1;
        assert_true(WIFEXITED(status));
        return {std::exchange(buffer_, {}), WEXITSTATUS(status)};
    }

    std::string err() const { return read_file_bytes(dir_ / "err"); }

    int terminate() {
        kill(pid_, SIGTERM);
        int status = 0;
        assert_int_equal(waitpid(pid_, &status, 0), pid_);
        pid_ = -1;
        assert_true(WIFEXITED(status));
        return WEXITSTATUS(status);
    }

private:
    TempDir dir_{"ctl-watch"};
    pid_t pid_ = -1;
    int fd_ = -1;
    std::string buffer_;
};

// The signal from a process that does not own recoveryd's name; when this
// returns, the bus has routed it (its messages are handled in order).
void emit_as_impostor() {
    BusPtr impostor = connect_to_test_bus();
    assert_true(sd_bus_emit_signal(impostor.get(), bus::kObjectPath, bus::kManagerInterface, "RequestFiled", "ss",
                                   "FAKE-000", "mallory") >= 0);
    BusError error;
    sd_bus_message* reply = nullptr;
    assert_true(sd_bus_call_method(impostor.get(), "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                   "org.freedesktop.DBus", "GetId", error.get(), &reply, "") >= 0);
    sd_bus_message_unref(reply);
}

void watch_follows_the_daemon_only(void** state) {
    FakeDaemon& daemon = daemon_of(state);
    Watcher watch;
    const std::string start = watch.read_through("Waiting for requests");
    assert_int_equal(start.find(kIdentityReminder), 0);
    // Asked first: the stand-in has one open request.
    assert_true(contains(start, "\n1 open request: recoveryctl requests shows it.\nWaiting for requests"));
    assert_string_equal(daemon.last_call().c_str(), "ListRequests State=s:open;");

    emit_as_impostor();
    daemon.emit_request_filed("K7Q-4MZ", "alice");
    const std::string first = watch.read_through("Note:");
    assert_false(contains(first, "FAKE-000"));
    assert_false(contains(first, "mallory"));
    assert_true(contains(first, "Z  request K7Q-4MZ for \"alice\"\n  User:        \"alice\"\n"));
    assert_true(contains(first, "  Contact:     \"call 555-0100\\n(ask for \\\"Al\\\")\"\n"));

    // A restarted daemon is followed; its details failing still shows the line.
    daemon.restart();
    daemon.emit_request_filed("M2P-8TR", "bob");
    const std::string second = watch.read_through("request M2P-8TR");
    assert_true(contains(second, "Z  request M2P-8TR for \"bob\"\n"));
    assert_string_equal(daemon.last_call().c_str(), "ListRequests User=s:bob;");

    assert_int_equal(watch.terminate(), kExitOk);
}

// A request filed right after watch counted the open ones is shown: watch
// counts only once subscribed (counting first would lose it).
void watch_misses_nothing_filed_while_it_starts(void** state) {
    FakeDaemon& daemon = daemon_of(state);
    daemon.file_after_next_count();
    Watcher watch;
    const std::string start = watch.read_through("Waiting for requests");
    assert_true(contains(start, "1 open request"));
    const std::string filed = watch.read_through("request R9X-2LD");
    assert_true(contains(filed, "Z  request R9X-2LD for \"carol\"\n"));
    assert_int_equal(watch.terminate(), kExitOk);
}

// Refused by the daemon, watch says so and ends, printing nothing as if it
// were waiting.
void watch_refused_ends_at_once(void** state) {
    FakeDaemon& daemon = daemon_of(state);
    daemon.refuse_list_requests();
    Watcher watch;
    const auto [out, code] = watch.read_to_end();
    assert_int_equal(code, kExitDenied);
    assert_string_equal(daemon.last_call().c_str(), "ListRequests State=s:open;");
    if (!out.empty())
        fail_msg("a refused watch printed \"%s\"", out.c_str());
    assert_string_equal(watch.err().c_str(), "recoveryctl: permission denied: you are not an administrator\n");
}

}  // namespace

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(requests_sends_the_filter_and_reads_every_field, set_up, tear_down),
        cmocka_unit_test_setup_teardown(a_reply_of_the_wrong_type_is_refused, set_up, tear_down),
        cmocka_unit_test_setup_teardown(decisions_send_their_arguments, set_up, tear_down),
        cmocka_unit_test_setup_teardown(audit_sends_typed_filter_values, set_up, tear_down),
        cmocka_unit_test_setup_teardown(audit_verify_reports_a_tampered_log_with_exit_5, set_up, tear_down),
        cmocka_unit_test_setup_teardown(the_daemons_refusals_become_exit_statuses, set_up, tear_down),
        cmocka_unit_test_setup_teardown(watch_follows_the_daemon_only, set_up, tear_down),
        cmocka_unit_test_setup_teardown(watch_misses_nothing_filed_while_it_starts, set_up, tear_down),
        cmocka_unit_test_setup_teardown(watch_refused_ends_at_once, set_up, tear_down),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
