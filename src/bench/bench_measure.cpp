#include "bench/bench_measure.h"

#include <sys/resource.h>

#include <algorithm>
#include <cmath>
#include <ctime>

namespace attune::app::bench {
namespace {

double clock_seconds(clockid_t clock) {
    timespec now{};
    clock_gettime(clock, &now);
    return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) * 1e-9;
}

double percentile(const std::vector<double>& sorted, double fraction) {
    const double rank = std::ceil(fraction * static_cast<double>(sorted.size()));
    const auto index = static_cast<std::size_t>(std::max(1.0, rank)) - 1;
    return sorted[std::min(index, sorted.size() - 1)];
}

}  // namespace

double thread_cpu_seconds() {
    return clock_seconds(CLOCK_THREAD_CPUTIME_ID);
}
double process_cpu_seconds() {
    return clock_seconds(CLOCK_PROCESS_CPUTIME_ID);
}
double wall_seconds() {
    return clock_seconds(CLOCK_MONOTONIC);
}

double peak_rss_mib() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return static_cast<double>(usage.ru_maxrss) / 1024.0;  // kilobytes on Linux
}

Stats summarize(std::vector<double> samples) {
    Stats stats;
    if (samples.empty()) return stats;
    std::sort(samples.begin(), samples.end());
    stats.runs = samples.size();
    stats.median = percentile(samples, 0.5);
    stats.p95 = percentile(samples, 0.95);
    stats.p99 = percentile(samples, 0.99);
    stats.max = samples.back();
    return stats;
}

nlohmann::json to_json(const Stats& stats, double scale) {
    return {{"runs", stats.runs},
            {"median", stats.median * scale},
            {"p95", stats.p95 * scale},
            {"p99", stats.p99 * scale},
            {"max", stats.max * scale}};
}

}  // namespace attune::app::bench
