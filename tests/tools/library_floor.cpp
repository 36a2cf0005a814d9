// library-floor: the memory floor of recoveryd's dependencies, for the
// memory benchmark (bench/run memory). It links what the daemon links and
// uses each library once, as little as the daemon can (a store with one
// table and one query, a bus connection with Hello, one user lookup through
// NSS, the password-quality settings, one keyed hash), then waits. Its
// resident memory is what the libraries cost before recoveryd's own code;
// the daemon's minus it is what recoveryd adds.
//   library-floor DATABASE    prints "ready PID" on stdout, then waits for a signal

#include <cstdio>
#include <pwd.h>
#include <string>
#include <unistd.h>

#include <crypt.h>
#include <ini.h>
#include <pwquality.h>
#include <selinux/selinux.h>
#include <sodium.h>
#include <sqlite3.h>
#include <systemd/sd-bus.h>
#include <systemd/sd-event.h>

namespace {

bool use_store(const char* path) {
    sqlite3* db = nullptr;
    const bool ok = sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) == SQLITE_OK &&
                    sqlite3_exec(db, "PRAGMA journal_mode=WAL; CREATE TABLE IF NOT EXISTS t(a); SELECT count(*) FROM t;",
                                 nullptr, nullptr, nullptr) == SQLITE_OK;
    sqlite3_close(db);
    return ok;
}

bool use_bus(sd_event* event) {
    sd_bus* bus = nullptr;
    const bool ok = sd_bus_open_system(&bus) >= 0 && sd_bus_attach_event(bus, event, 0) >= 0;
    const char* unique = nullptr;
    return ok && sd_bus_get_unique_name(bus, &unique) >= 0;  // waits for Hello's reply
}

bool use_the_rest() {
    unsigned char digest[32];
    const unsigned char key[32] = {};
    const std::string text = "recoveryd";
    pwquality_settings_t* quality = pwquality_default_settings();
    const bool ok = sodium_init() >= 0 &&
                    crypto_generichash(digest, sizeof digest, reinterpret_cast<const unsigned char*>(text.data()),
                                       text.size(), key, sizeof key) == 0 &&
                    getpwnam("root") != nullptr && quality != nullptr &&
                    pwquality_read_config(quality, nullptr, nullptr) == 0 && crypt_preferred_method() != nullptr &&
                    ini_parse_string("[Daemon]\n", [](void*, const char*, const char*, const char*) { return 1; },
                                     nullptr) == 0;
    pwquality_free_settings(quality);
    (void)is_selinux_enabled();
    return ok;
}

}  // namespace

int main(int argc, char** argv) {
    sd_event* event = nullptr;
    if (argc != 2 || sd_event_default(&event) < 0 || !use_store(argv[1]) || !use_bus(event) || !use_the_rest()) {
        std::fputs("library-floor: usage: library-floor DATABASE (needs a system bus)\n", stderr);
        return 1;
    }
    std::printf("ready %d\n", static_cast<int>(getpid()));
    std::fflush(stdout);
    pause();
    return 0;
}
