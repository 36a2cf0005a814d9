// flow-peer: talks to recoveryd's Manager and Flow interfaces directly, for
// tests and benchmarks that a PAM application cannot express.
//   flow-peer start USER [KEY=VALUE...]      StartFlow; prints the path or the error name
//   flow-peer may-offer [KEY=VALUE...]       MayOffer; prints true, false or the error name
//   flow-peer answers USER N                 Next with N answers on a fresh flow; prints the result
//   flow-peer next PATH N                    Next with N answers on an existing flow; prints the result
//   flow-peer relay USER                     A starts a flow and closes; B drives it: the path is the capability
//   flow-peer bench ROUNDS                   p50/p99 of StartFlow and Next, each on a new connection as the
//                                            PAM module makes them, and of Peer.Ping on an open one, in µs
//   flow-peer hold N                         opens N flows, prints the first's path, waits for stdin to close
//   flow-peer start-many N [KEY=VALUE...]    starts N flows with that context; prints how many could, and why not
//   flow-peer list-requests-timing ROUNDS    p50/p99 of Admin.ListRequests on an open connection, in µs
//   flow-peer reset-load N USER              keeps N Admin.ResetPassword calls for USER in flight until stdin
//                                            closes; prints "loaded" once they are out, then how many finished
//   flow-peer enroll-storm N                 N EnrollRecoveryCodes calls with wrong passwords, all sent at
//                                            once from one process (a storm of N processes would starve
//                                            everything else of CPU); prints replies=N and counts per error
//   flow-peer enumeration FLOWS USER... --threads T --samples DIR
//                                            FLOWS flows per user, interleaved, on T connections at once:
//                                            µs from StartFlow to the verdict on a wrong recovery code,
//                                            one sample per line in DIR/USER.us
//   flow-peer code-timing ROUNDS USER... [--method N]
//                                            median/p99 of Next with a wrong code, per user, interleaved;
//                                            method 1: a recovery code (default), 2: an approval code
#include <CLI/CLI.hpp>
#include <cerrno>
#include <poll.h>
#include <unistd.h>
#include <algorithm>
#include <atomic>
#include <thread>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "common/BusNames.h"
#include "common/SdBus.h"

using namespace recoveryd;

namespace {

BusPtr connect_bus() {
    sd_bus* raw = nullptr;
    if (sd_bus_open_system(&raw) < 0) {
        std::fprintf(stderr, "flow-peer: no system bus\n");
        std::exit(2);
    }
    return BusPtr(raw);
}

// Appends KEY=VALUE pairs as the context's a{sv}, each value a string.
void append_context(sd_bus_message* call, const std::vector<std::string>& context) {
    sd_bus_message_open_container(call, 'a', "{sv}");
    for (const std::string& pair : context) {
        const auto eq = pair.find('=');
        sd_bus_message_append(call, "{sv}", pair.substr(0, eq).c_str(), "s",
                              eq == std::string::npos ? "" : pair.c_str() + eq + 1);
    }
    sd_bus_message_close_container(call);
}

// Calls StartFlow; returns the path, or "!" + error name.
std::string start_flow(sd_bus* bus, const std::string& user, const std::vector<std::string>& context = {}) {
    sd_bus_message* raw = nullptr;
    sd_bus_message_new_method_call(bus, &raw, bus::kServiceName, bus::kObjectPath, bus::kManagerInterface,
                                   "StartFlow");
    BusMessagePtr call(raw);
    sd_bus_message_append(call.get(), "s", user.c_str());
    append_context(call.get(), context);
    BusError error;
    raw = nullptr;
    const int r = sd_bus_call(bus, call.get(), 0, error.get(), &raw);
    BusMessagePtr reply(raw);
    if (r < 0)
        return std::string("!") + error.name();
    const char* path = nullptr;
    sd_bus_message_read(reply.get(), "o", &path);
    return path;
}

// Calls MayOffer; returns "true", "false", or "!" + error name.
std::string may_offer(sd_bus* bus, const std::vector<std::string>& context) {
    sd_bus_message* raw = nullptr;
    sd_bus_message_new_method_call(bus, &raw, bus::kServiceName, bus::kObjectPath, bus::kManagerInterface,
                                   "MayOffer");
    BusMessagePtr call(raw);
    append_context(call.get(), context);
    BusError error;
    raw = nullptr;
    const int r = sd_bus_call(bus, call.get(), 0, error.get(), &raw);
    BusMessagePtr reply(raw);
    if (r < 0)
        return std::string("!") + error.name();
    int offered = 0;
    if (sd_bus_message_read(reply.get(), "b", &offered) <= 0)
        return "!malformed-reply";
    return offered ? "true" : "false";
}

// Calls Next with `count` copies of `answer`; returns "state=N" or "!" + error name.
std::string next(sd_bus* bus, const std::string& path, std::size_t count, const char* answer = "answer") {
    sd_bus_message* raw = nullptr;
    sd_bus_message_new_method_call(bus, &raw, bus::kServiceName, path.c_str(), bus::kFlowInterface, "Next");
    BusMessagePtr call(raw);
    sd_bus_message_open_container(call.get(), 'a', "s");
    for (std::size_t i = 0; i < count; ++i)
        sd_bus_message_append(call.get(), "s", answer);
    sd_bus_message_close_container(call.get());
    BusError error;
    raw = nullptr;
    const int r = sd_bus_call(bus, call.get(), 0, error.get(), &raw);
    BusMessagePtr reply(raw);
    if (r < 0)
        return std::string("!") + error.name();
    std::uint32_t state = 0;
    sd_bus_message_read(reply.get(), "u", &state);
    return "state=" + std::to_string(state);
}

void cancel(sd_bus* bus, const std::string& path) {
    sd_bus_call_method(bus, bus::kServiceName, path.c_str(), bus::kFlowInterface, "Cancel", nullptr, nullptr, "");
}

int relay(const std::string& user) {
    std::string path;
    {
        BusPtr a = connect_bus();
        path = start_flow(a.get(), user);
    }  // A's connection is gone
    if (path[0] == '!') {
        std::printf("start failed: %s\n", path.c_str() + 1);
        return 1;
    }
    BusPtr b = connect_bus();
    const std::string result = next(b.get(), path, 0);
    std::printf("%s\n", result.c_str());
    return result == "state=0" ? 0 : 1;
}

using Clock = std::chrono::steady_clock;

double micros(Clock::duration d) { return std::chrono::duration<double, std::micro>(d).count(); }

void print_percentiles(const char* name, std::vector<double> samples) {
    std::sort(samples.begin(), samples.end());
    const auto at = [&](double q) { return samples[static_cast<std::size_t>(q * (samples.size() - 1))]; };
    std::printf("%s p50_us=%.1f p99_us=%.1f min_us=%.1f\n", name, at(0.50), at(0.99), samples.front());
}

int bench(int rounds) {
    BusPtr ping_bus = connect_bus();
    std::vector<double> start_us, next_us, ping_us;
    for (int i = 0; i < rounds; ++i) {
        // As the PAM module does: a new connection for each call.
        auto t0 = Clock::now();
        std::string path;
        {
            BusPtr bus = connect_bus();
            path = start_flow(bus.get(), "alice");
        }
        auto t1 = Clock::now();
        std::string state;
        {
            BusPtr bus = connect_bus();
            state = next(bus.get(), path, 0);  // first step: no hashing
        }
        auto t2 = Clock::now();
        sd_bus_call_method(ping_bus.get(), bus::kServiceName, bus::kObjectPath, "org.freedesktop.DBus.Peer", "Ping",
                           nullptr, nullptr, "");
        auto t3 = Clock::now();
        cancel(ping_bus.get(), path);
        if (state != "state=0") {
            std::fprintf(stderr, "flow-peer: Next failed: %s\n", state.c_str());
            return 1;
        }
        start_us.push_back(micros(t1 - t0));
        next_us.push_back(micros(t2 - t1));
        ping_us.push_back(micros(t3 - t2));
    }
    print_percentiles("StartFlow(new-connection)", start_us);
    print_percentiles("Flow.Next(new-connection)", next_us);
    print_percentiles("Peer.Ping(open-connection)", ping_us);
    return 0;
}

// The code step's round trip for each user, interleaved round by round so
// that machine noise falls on all alike (DESIGN.md invariant 7).
int code_timing(int rounds, const std::vector<std::string>& users, int method) {
    // Well-formed, never issued.
    const char* wrong_code = method == 2 ? "7KQ2-M9XD-4RTA" : "7KQ2-M9XD-4RTA-0BHC";
    const std::string choice = std::to_string(method);
    BusPtr bus = connect_bus();
    std::vector<std::vector<double>> samples(users.size());
    for (int i = 0; i < rounds; ++i) {
        for (std::size_t u = 0; u < users.size(); ++u) {
            const std::string path = start_flow(bus.get(), users[u]);
            if (path[0] == '!' || next(bus.get(), path, 0) != "state=0" ||
                next(bus.get(), path, 1, choice.c_str()) != "state=0")
                return std::fprintf(stderr, "flow-peer: cannot start a flow for %s\n", users[u].c_str()), 1;
            const auto t0 = Clock::now();
            const std::string state = next(bus.get(), path, 1, wrong_code);
            samples[u].push_back(micros(Clock::now() - t0));
            if (state != "state=2")
                return std::fprintf(stderr, "flow-peer: a wrong code for %s gave %s\n", users[u].c_str(),
                                    state.c_str()), 1;
        }
    }
    for (std::size_t u = 0; u < users.size(); ++u)
        print_percentiles(users[u].c_str(), samples[u]);
    return 0;
}

// One flow to its first verdict: StartFlow, the offer's first step, menu
// choice 1, a wrong code. Microseconds, or a negative number on failure.
double flow_to_verdict(sd_bus* bus, const std::string& user) {
    const auto t0 = Clock::now();
    const std::string path = start_flow(bus, user);
    if (path[0] == '!' || next(bus, path, 0) != "state=0" || next(bus, path, 1, "1") != "state=0" ||
        next(bus, path, 1, "7KQ2-M9XD-4RTA-0BHC") != "state=2")
        return -1;
    return micros(Clock::now() - t0);
}

int enumeration(int flows, const std::vector<std::string>& users, int threads, const std::string& dir) {
    std::vector<std::vector<std::vector<double>>> samples(threads, std::vector<std::vector<double>>(users.size()));
    std::atomic<int> failures{0};
    std::vector<std::thread> workers;
    for (int t = 0; t < threads; ++t)
        workers.emplace_back([&, t] {
            BusPtr bus = connect_bus();
            for (int i = t; i < flows; i += threads)
                for (std::size_t u = 0; u < users.size(); ++u) {
                    // Rotate the order, so no user is always first after a pause.
                    const std::size_t which = (u + static_cast<std::size_t>(i)) % users.size();
                    const double us = flow_to_verdict(bus.get(), users[which]);
                    if (us < 0)
                        ++failures;
                    else
                        samples[t][which].push_back(us);
                }
        });
    for (auto& worker : workers)
        worker.join();
    if (failures > 0)
        return std::fprintf(stderr, "flow-peer: %d flows did not reach a verdict\n", failures.load()), 1;
    for (std::size_t u = 0; u < users.size(); ++u) {
        std::vector<double> all;
        FILE* out = std::fopen((dir + "/" + users[u] + ".us").c_str(), "w");
        if (out == nullptr)
            return std::fprintf(stderr, "flow-peer: cannot write to %s\n", dir.c_str()), 1;
        for (int t = 0; t < threads; ++t)
            for (double us : samples[t][u]) {
                std::fprintf(out, "%.1f\n", us);
                all.push_back(us);
            }
        std::fclose(out);
        print_percentiles(users[u].c_str(), all);
    }
    return 0;
}

int list_requests_timing(int rounds) {
    BusPtr bus = connect_bus();
    std::vector<double> samples;
    for (int i = 0; i < rounds; ++i) {
        BusError error;
        sd_bus_message* raw = nullptr;
        const auto t0 = Clock::now();
        const int r = sd_bus_call_method(bus.get(), bus::kServiceName, bus::kObjectPath, bus::kAdminInterface,
                                         "ListRequests", error.get(), &raw, "a{sv}", 0);
        samples.push_back(micros(Clock::now() - t0));
        BusMessagePtr reply(raw);
        if (r < 0)
            return std::fprintf(stderr, "flow-peer: ListRequests failed: %s\n", error.name()), 1;
    }
    print_percentiles("Admin.ListRequests(open-connection)", samples);
    return 0;
}

// One ResetPassword in flight; each reply sends the next one.
struct ResetLoad {
    sd_bus* bus;
    std::string user;
    int finished = 0;
    int failed = 0;

    int send() {
        return sd_bus_call_method_async(bus, nullptr, bus::kServiceName, bus::kObjectPath, bus::kAdminInterface,
                                        "ResetPassword", on_reply, this, "s", user.c_str());
    }
    static int on_reply(sd_bus_message* reply, void* userdata, sd_bus_error*) {
        auto* load = static_cast<ResetLoad*>(userdata);
        ++(sd_bus_message_is_method_error(reply, nullptr) ? load->failed : load->finished);
        return load->send();
    }
};

int reset_load(int count, const std::string& user) {
    BusPtr bus = connect_bus();
    ResetLoad load{bus.get(), user};
    for (int i = 0; i < count; ++i)
        if (load.send() < 0)
            return std::fprintf(stderr, "flow-peer: cannot send ResetPassword\n"), 1;
    std::printf("loaded\n");
    std::fflush(stdout);
    struct pollfd fds[2] = {{sd_bus_get_fd(bus.get()), 0, 0}, {STDIN_FILENO, POLLIN, 0}};
    for (;;) {
        while (sd_bus_process(bus.get(), nullptr) > 0) {
        }
        fds[0].events = static_cast<short>(sd_bus_get_events(bus.get()));
        if (poll(fds, 2, -1) < 0 && errno != EINTR)
            return 1;
        if (fds[1].revents != 0) {
            char buffer[64];
            if (read(STDIN_FILENO, buffer, sizeof buffer) <= 0)
                break;
        }
    }
    std::printf("finished=%d failed=%d\n", load.finished, load.failed);
    return 0;
}

// Replies to the storm's calls, counted by error name ("ok" for none).
struct StormReplies {
    int pending = 0;
    std::map<std::string, int> by_outcome;

    static int on_reply(sd_bus_message* reply, void* userdata, sd_bus_error*) {
        auto* replies = static_cast<StormReplies*>(userdata);
        const sd_bus_error* error = sd_bus_message_get_error(reply);
        ++replies->by_outcome[error != nullptr && error->name != nullptr ? error->name : "ok"];
        --replies->pending;
        return 0;
    }
};

int enroll_storm(int count) {
    // dbus-daemon caps the replies one connection may await: at most 100 each.
    constexpr int kCallsPerConnection = 100;
    std::vector<BusPtr> buses;
    StormReplies replies;
    for (int i = 0; i < count; ++i) {
        if (i % kCallsPerConnection == 0)
            buses.push_back(connect_bus());
        const std::string guess = "guess-" + std::to_string(i);
        if (sd_bus_call_method_async(buses.back().get(), nullptr, bus::kServiceName, bus::kObjectPath,
                                     bus::kAccountInterface, "EnrollRecoveryCodes", StormReplies::on_reply, &replies,
                                     "s", guess.c_str()) < 0)
            return std::fprintf(stderr, "flow-peer: cannot send EnrollRecoveryCodes\n"), 1;
        ++replies.pending;
    }
    while (replies.pending > 0) {
        for (const BusPtr& bus : buses) {
            while (sd_bus_process(bus.get(), nullptr) > 0) {
            }
        }
        std::vector<pollfd> fds;
        for (const BusPtr& bus : buses)
            fds.push_back({sd_bus_get_fd(bus.get()), static_cast<short>(sd_bus_get_events(bus.get())), 0});
        if (replies.pending > 0 && poll(fds.data(), fds.size(), 1000) < 0 && errno != EINTR)
            return 1;
    }
    std::printf("replies=%d\n", count);
    for (const auto& [outcome, n] : replies.by_outcome)
        std::printf("%s=%d\n", outcome.c_str(), n);
    return 0;
}

int start_many(int count, const std::vector<std::string>& context) {
    BusPtr bus = connect_bus();
    int started = 0;
    std::string refusal = "none";
    for (; started < count; ++started) {
        const std::string path = start_flow(bus.get(), "alice", context);
        if (path[0] == '!') {
            refusal = path.substr(1);
            break;
        }
    }
    std::printf("started=%d refusal=%s\n", started, refusal.c_str());
    return 0;
}

int hold(int count) {
    BusPtr bus = connect_bus();
    for (int i = 0; i < count; ++i) {
        const std::string path = start_flow(bus.get(), "alice");
        if (path[0] == '!')
            return std::printf("%s\n", path.c_str() + 1), 1;
        if (i == 0)
            std::printf("%s\n", path.c_str());
    }
    std::printf("holding %d flows\n", count);
    std::fflush(stdout);
    std::string line;
    std::getline(std::cin, line);
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"Drive recoveryd's flow API directly"};
    app.require_subcommand(1);
    std::string user;
    std::vector<std::string> context;
    int number = 0;
    auto* start = app.add_subcommand("start");
    start->add_option("user", user)->required();
    start->add_option("context", context);
    auto* may_offer_cmd = app.add_subcommand("may-offer");
    may_offer_cmd->add_option("context", context);
    auto* answers = app.add_subcommand("answers");
    answers->add_option("user", user)->required();
    answers->add_option("count", number)->required();
    std::string flow_path;
    auto* next_cmd = app.add_subcommand("next");
    next_cmd->add_option("path", flow_path)->required();
    next_cmd->add_option("count", number)->required();
    auto* relay_cmd = app.add_subcommand("relay");
    relay_cmd->add_option("user", user)->required();
    auto* bench_cmd = app.add_subcommand("bench");
    bench_cmd->add_option("rounds", number)->required();
    auto* hold_cmd = app.add_subcommand("hold");
    hold_cmd->add_option("count", number)->required();
    auto* many_cmd = app.add_subcommand("start-many");
    many_cmd->add_option("count", number)->required();
    many_cmd->add_option("context", context);
    std::vector<std::string> users;
    auto* timing_cmd = app.add_subcommand("code-timing");
    timing_cmd->add_option("rounds", number)->required();
    timing_cmd->add_option("users", users)->required();
    int threads = 1;
    std::string samples_dir;
    auto* enumeration_cmd = app.add_subcommand("enumeration");
    enumeration_cmd->add_option("flows", number)->required();
    enumeration_cmd->add_option("users", users)->required();
    enumeration_cmd->add_option("--threads", threads)->check(CLI::Range(1, 64));
    enumeration_cmd->add_option("--samples", samples_dir)->required();
    auto* list_timing_cmd = app.add_subcommand("list-requests-timing");
    list_timing_cmd->add_option("rounds", number)->required();
    auto* reset_load_cmd = app.add_subcommand("reset-load");
    reset_load_cmd->add_option("count", number)->required();
    reset_load_cmd->add_option("user", user)->required();
    auto* storm_cmd = app.add_subcommand("enroll-storm");
    storm_cmd->add_option("count", number)->required()->check(CLI::Range(1, 10000));
    int method = 1;
    timing_cmd->add_option("--method", method)->check(CLI::Range(1, 2));
    CLI11_PARSE(app, argc, argv);

    if (start->parsed()) {
        BusPtr bus = connect_bus();
        const std::string path = start_flow(bus.get(), user, context);
        std::printf("%s\n", path[0] == '!' ? path.c_str() + 1 : path.c_str());
        return path[0] == '!' ? 1 : 0;
    }
    if (may_offer_cmd->parsed()) {
        BusPtr bus = connect_bus();
        const std::string offered = may_offer(bus.get(), context);
        std::printf("%s\n", offered[0] == '!' ? offered.c_str() + 1 : offered.c_str());
        return offered[0] == '!' ? 1 : 0;
    }
    if (answers->parsed()) {
        BusPtr bus = connect_bus();
        const std::string path = start_flow(bus.get(), user);
        if (path[0] == '!')
            return std::printf("%s\n", path.c_str() + 1), 1;
        next(bus.get(), path, 0);  // the first prompt
        const std::string result = next(bus.get(), path, static_cast<std::size_t>(number));
        std::printf("%s\n", result[0] == '!' ? result.c_str() + 1 : result.c_str());
        return result[0] == '!' ? 1 : 0;
    }
    if (enumeration_cmd->parsed())
        return enumeration(number, users, threads, samples_dir);
    if (next_cmd->parsed()) {
        BusPtr bus = connect_bus();
        const std::string result = next(bus.get(), flow_path, static_cast<std::size_t>(number));
        std::printf("%s\n", result[0] == '!' ? result.c_str() + 1 : result.c_str());
        return result[0] == '!' ? 1 : 0;
    }
    if (relay_cmd->parsed())
        return relay(user);
    if (bench_cmd->parsed())
        return bench(number);
    if (many_cmd->parsed())
        return start_many(number, context);
    if (reset_load_cmd->parsed())
        return reset_load(number, user);
    if (storm_cmd->parsed())
        return enroll_storm(number);
    if (list_timing_cmd->parsed())
        return list_requests_timing(number);
    if (timing_cmd->parsed())
        return code_timing(number, users, method);
    return hold(number);
}
