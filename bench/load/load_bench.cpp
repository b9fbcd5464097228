// Drives run_load against a URL and prints what a comparison with wrk needs: requests per second
// and the client's own CPU time per request. Usage: load_bench URL REQUESTS CONCURRENCY
#include "leakbisect/load/driver.hpp"
#include "leakbisect/load/url.hpp"

#include <sys/resource.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace {

double cpu_seconds() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    auto seconds = [](const timeval& time) { return time.tv_sec + time.tv_usec / 1e6; };
    return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

} // namespace

int main(int argc, char** argv) {
    if (argc != 4) {
        std::fprintf(stderr, "usage: load_bench URL REQUESTS CONCURRENCY\n");
        return 2;
    }
    auto target = leakbisect::parse_base_url(argv[1], false);
    if (!target) {
        std::fprintf(stderr, "%s\n", leakbisect::to_string(target.error()).c_str());
        return 2;
    }
    leakbisect::LoadPlan plan;
    plan.target = *target;
    plan.mix = {leakbisect::LoadRequest{.path = "/"}};
    plan.requests = std::strtoull(argv[2], nullptr, 10);
    plan.concurrency = static_cast<unsigned>(std::strtoul(argv[3], nullptr, 10));

    const std::atomic<bool> never{false};
    const double cpu_before = cpu_seconds();
    const auto stats = leakbisect::run_load(plan, {}, never);
    const double cpu = cpu_seconds() - cpu_before;

    const double finished = static_cast<double>(stats.succeeded + stats.failed);
    std::printf(
        "requests %.0f failed %llu seconds %.3f rps %.0f cpu_us_per_request %.2f p50_ms %.3f p99_ms %.3f\n",
        finished, static_cast<unsigned long long>(stats.failed), stats.elapsed_seconds,
        finished / stats.elapsed_seconds, cpu * 1e6 / finished, stats.latency_p50_ms, stats.latency_p99_ms);
    return stats.failed == 0 ? 0 : 1;
}
