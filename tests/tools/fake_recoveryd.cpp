// fake-recoveryd: answers as io.recoveryd.Recovery1 the way a test asks, for
// the module's tests of what the real daemon never does: replies that are
// malformed, late or endless, a "daemon" that is not root, a bus that is not
// the system bus. On stdout it writes "ready PID" once it owns the name, then
// one line for each call it gets:
//   MayOffer KEY=VALUE...                (u values in decimal)
//   StartFlow user=NAME KEY=VALUE...     (u values in decimal)
//   Next answers=N
//   Cancel
//   TakeNotices user=NAME                (answered with one notice, "Fake notice for NAME.")
//   fake-recoveryd --mode MODE [--address ADDRESS]
// Modes (what Next answers; StartFlow returns /io/recoveryd/Recovery1/flow/fake;
// MayOffer answers true but in the modes for it):
//   succeed              state 1 (succeeded), no messages
//   endless              state 0 with one echo-on prompt, every time
//   bad-state            state 7
//   bad-signature        a string instead of (u, a(us))
//   control-text         state 0 with a message that carries a terminal escape sequence
//   silent-next          no reply at all
//   empty-start          StartFlow's reply carries no flow object
//   not-offered          MayOffer answers false
//   silent-may-offer     MayOffer gets no reply at all
//   bad-may-offer        MayOffer's reply is a string, not a boolean
//   silent-notices       TakeNotices gets no reply at all (the rest as succeed)
#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <unistd.h>
#include <string>
#include <vector>

#include "common/BusNames.h"
#include "common/SdBus.h"

using namespace recoveryd;

namespace {

constexpr const char* kFlowPath = "/io/recoveryd/Recovery1/flow/fake";

struct Fake {
    std::string mode;
    std::vector<BusMessagePtr> unanswered;  // silent-next and silent-may-offer keep them so nothing replies

    void record(const std::string& line) {
        std::printf("%s\n", line.c_str());
        std::fflush(stdout);
    }
};

Fake& fake_of(void* userdata) { return *static_cast<Fake*>(userdata); }

// The context's values as text; anything but s and u is shown as '?'.
int read_context(sd_bus_message* m, std::string& line) {
    int r = sd_bus_message_enter_container(m, 'a', "{sv}");
    while (r > 0 && (r = sd_bus_message_enter_container(m, 'e', "sv")) > 0) {
        const char* key = nullptr;
        const char* contents = nullptr;
        if ((r = sd_bus_message_read(m, "s", &key)) < 0 || (r = sd_bus_message_peek_type(m, nullptr, &contents)) < 0)
            return r;
        line += std::string(" ") + key + "=";
        if (std::string(contents) == "s") {
            const char* text = nullptr;
            r = sd_bus_message_read(m, "v", "s", &text);
            line += text ? text : "";
        } else if (std::string(contents) == "u") {
            std::uint32_t value = 0;
            r = sd_bus_message_read(m, "v", "u", &value);
            line += std::to_string(value);
        } else {
            r = sd_bus_message_skip(m, "v");
            line += "?";
        }
        if (r < 0 || (r = sd_bus_message_exit_container(m)) < 0)
            return r;
    }
    return r < 0 ? r : sd_bus_message_exit_container(m);
}

int on_start_flow(sd_bus_message* m, void* userdata, sd_bus_error*) {
    Fake& fake = fake_of(userdata);
    const char* user = nullptr;
    int r = sd_bus_message_read(m, "s", &user);
    std::string line = std::string("StartFlow user=") + (user ? user : "");
    if (r >= 0)
        r = read_context(m, line);
    fake.record(line);
    if (r < 0)
        return r;
    if (fake.mode == "empty-start")
        return sd_bus_reply_method_return(m, "");
    return sd_bus_reply_method_return(m, "o", kFlowPath);
}

int on_may_offer(sd_bus_message* m, void* userdata, sd_bus_error*) {
    Fake& fake = fake_of(userdata);
    std::string line = "MayOffer";
    const int r = read_context(m, line);
    fake.record(line);
    if (r < 0)
        return r;
    if (fake.mode == "silent-may-offer") {
        fake.unanswered.emplace_back(sd_bus_message_ref(m));
        return 1;
    }
    if (fake.mode == "bad-may-offer")
        return sd_bus_reply_method_return(m, "s", "yes");
    return sd_bus_reply_method_return(m, "b", fake.mode == "not-offered" ? 0 : 1);
}

int on_next(sd_bus_message* m, void* userdata, sd_bus_error*) {
    Fake& fake = fake_of(userdata);
    char** answers = nullptr;
    const int r = sd_bus_message_read_strv(m, &answers);
    std::size_t count = 0;
    for (char** a = answers; a && *a; ++a, ++count)
        free(*a);
    free(answers);
    fake.record("Next answers=" + std::to_string(count));
    if (r < 0)
        return r;
    if (fake.mode == "silent-next") {
        fake.unanswered.emplace_back(sd_bus_message_ref(m));
        return 1;
    }
    if (fake.mode == "endless")
        return sd_bus_reply_method_return(m, "ua(us)", 0u, 1, 2u, "Fake prompt: ");
    if (fake.mode == "bad-state")
        return sd_bus_reply_method_return(m, "ua(us)", 7u, 0);
    if (fake.mode == "bad-signature")
        return sd_bus_reply_method_return(m, "s", "nonsense");
    if (fake.mode == "control-text")  // would clear the screen and retitle the terminal
        return sd_bus_reply_method_return(m, "ua(us)", 0u, 1, 4u, "Line one\nFake\x1b[2J\x1b]0;owned\x07 text");
    return sd_bus_reply_method_return(m, "ua(us)", 1u, 0);
}

int on_cancel(sd_bus_message* m, void* userdata, sd_bus_error*) {
    fake_of(userdata).record("Cancel");
    return sd_bus_reply_method_return(m, "");
}

int on_take_notices(sd_bus_message* m, void* userdata, sd_bus_error*) {
    Fake& fake = fake_of(userdata);
    const char* user = nullptr;
    const int r = sd_bus_message_read(m, "s", &user);
    fake.record(std::string("TakeNotices user=") + (user ? user : ""));
    if (r < 0)
        return r;
    if (fake.mode == "silent-notices") {
        fake.unanswered.emplace_back(sd_bus_message_ref(m));
        return 1;
    }
    const std::string notice = std::string("Fake notice for ") + user + ".";
    return sd_bus_reply_method_return(m, "as", 1, notice.c_str());
}

const sd_bus_vtable kManager[] = {
    SD_BUS_VTABLE_START(0),
    SD_BUS_METHOD("StartFlow", "sa{sv}", "o", on_start_flow, SD_BUS_VTABLE_UNPRIVILEGED),
    SD_BUS_METHOD("MayOffer", "a{sv}", "b", on_may_offer, SD_BUS_VTABLE_UNPRIVILEGED),
    SD_BUS_METHOD("TakeNotices", "s", "as", on_take_notices, SD_BUS_VTABLE_UNPRIVILEGED),
    SD_BUS_VTABLE_END,
};

const sd_bus_vtable kFlow[] = {
    SD_BUS_VTABLE_START(0),
    SD_BUS_METHOD("Next", "as", "ua(us)", on_next, SD_BUS_VTABLE_UNPRIVILEGED),
    SD_BUS_METHOD("Cancel", "", "", on_cancel, SD_BUS_VTABLE_UNPRIVILEGED),
    SD_BUS_VTABLE_END,
};

int fail(const char* what, int r) {
    std::fprintf(stderr, "fake-recoveryd: %s: %s\n", what, std::strerror(-r));
    return 2;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"A stand-in for recoveryd that misbehaves on request"};
    Fake fake;
    std::string address;
    app.add_option("--mode", fake.mode, "how to answer")
        ->required()
        ->check(CLI::IsMember({"succeed", "endless", "bad-state", "bad-signature", "control-text", "silent-next", "empty-start",
                               "not-offered", "silent-may-offer", "bad-may-offer", "silent-notices"}));
    app.add_option("--address", address, "bus address (default: the system bus)");
    CLI11_PARSE(app, argc, argv);

    sd_bus* raw = nullptr;
    int r = 0;
    if (address.empty()) {
        r = sd_bus_open_system(&raw);
    } else if ((r = sd_bus_new(&raw)) >= 0) {
        sd_bus_set_address(raw, address.c_str());
        sd_bus_set_bus_client(raw, 1);
        r = sd_bus_start(raw);
    }
    BusPtr bus(raw);
    if (r < 0)
        return fail("cannot connect", r);
    sd_bus_slot* manager = nullptr;
    sd_bus_slot* flow = nullptr;
    if ((r = sd_bus_add_object_vtable(bus.get(), &manager, bus::kObjectPath, bus::kManagerInterface, kManager,
                                      &fake)) < 0 ||
        (r = sd_bus_add_object_vtable(bus.get(), &flow, kFlowPath, bus::kFlowInterface, kFlow, &fake)) < 0)
        return fail("cannot add objects", r);
    const BusSlotPtr manager_slot(manager), flow_slot(flow);
    if ((r = sd_bus_request_name(bus.get(), bus::kServiceName, 0)) < 0)
        return fail("cannot own the name", r);
    fake.record("ready " + std::to_string(getpid()));
    for (;;) {
        r = sd_bus_process(bus.get(), nullptr);
        if (r < 0)
            return fail("bus", r);
        if (r == 0 && (r = sd_bus_wait(bus.get(), UINT64_MAX)) < 0)
            return fail("bus", r);
    }
}
