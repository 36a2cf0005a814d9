// store-bench: what the rate limits add to an identity check's work in the
// store (bench/run, section "limits").
//
//   store-bench attempts RUNS DIR
//       RUNS times: a fresh store in DIR, then 900 wrong recovery codes
//       under the shipped limits, each from its own name and one of 100
//       sources (so no lockout begins, and the total's count grows to 900,
//       its most before the total limit of 1000 is reached). Prints p50/p99
//       of the counting inside the transaction and of the whole
//       transaction, in µs.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "daemon/crypto/Digest.h"
#include "daemon/policy/PolicyLoader.h"
#include "daemon/store/Store.h"

using namespace recoveryd;

namespace {

using Clock = std::chrono::steady_clock;
constexpr int kChecksPerRun = 900;

double at(std::vector<double> samples, double q) {
    std::sort(samples.begin(), samples.end());
    return samples[static_cast<std::size_t>(q * static_cast<double>(samples.size() - 1))];
}

int attempts(int runs, const std::filesystem::path& dir) {
    const auto policy = load_policy({dir / "none.conf", dir / "none.d"});  // the shipped defaults
    if (!policy)
        return std::fprintf(stderr, "store-bench: %s\n", policy.error().message.c_str()), 1;
    std::vector<double> counting_us, transaction_us;
    for (int run = 0; run < runs; ++run) {
        const auto path = dir / "bench.db";
        for (const char* suffix : {"", "-wal", "-shm"})
            std::filesystem::remove(path.string() + suffix);
        auto store = Store::open(path);
        if (!store)
            return std::fprintf(stderr, "store-bench: %s\n", store.error().message.c_str()), 1;
        for (int i = 0; i < kChecksPerRun; ++i) {
            const IdentityAttempt attempt{"user" + std::to_string(i), "tty:pts/" + std::to_string(i % 100),
                                          policy->attempt_limits, read_clock()};
            const auto t0 = Clock::now();
            const auto check = store->consume_recovery_code(attempt, 1000 + i, hash_parts({"wrong", attempt.user}));
            transaction_us.push_back(std::chrono::duration<double, std::micro>(Clock::now() - t0).count());
            if (!check || check->attempt.blocked())
                return std::fprintf(stderr, "store-bench: check %d was %s\n", i, check ? "blocked" : "an error"), 1;
            counting_us.push_back(std::chrono::duration<double, std::micro>(check->attempt.counting).count());
        }
    }
    std::printf("counting p50_us=%.1f p99_us=%.1f\n", at(counting_us, 0.5), at(counting_us, 0.99));
    std::printf("whole transaction p50_us=%.1f p99_us=%.1f\n", at(transaction_us, 0.5), at(transaction_us, 0.99));
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 4 || std::string(argv[1]) != "attempts")
        return std::fprintf(stderr, "usage: store-bench attempts RUNS DIR\n"), 2;
    return attempts(std::max(1, std::atoi(argv[2])), argv[3]);
}
