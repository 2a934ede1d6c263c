// bench_measure.h: the clocks and statistics of `attune bench`: CPU time of
// this thread (frames) and process, wall time (disk waits), and the median,
// p95 and p99 of a set of repeated measurements.
#pragma once

#include <chrono>
#include <cstddef>
#include <nlohmann/json.hpp>
#include <vector>

namespace attune::app::bench {

// Seconds of CPU this thread has used (CLOCK_THREAD_CPUTIME_ID): a frame's
// cost without the time other engineers' builds take the core from us.
double thread_cpu_seconds();
// Seconds of CPU the whole process has used (user + system).
double process_cpu_seconds();
// Monotonic wall seconds.
double wall_seconds();
// Peak resident set of this process, in MiB (getrusage ru_maxrss).
double peak_rss_mib();

struct Stats {
    std::size_t runs = 0;
    double median = 0;
    double p95 = 0;
    double p99 = 0;
    double max = 0;
};
// Nearest-rank percentiles of the samples (in whatever unit they are).
Stats summarize(std::vector<double> samples);
// {"runs", "median", "p95", "p99", "max"}, each value multiplied by `scale`
// (1000 turns seconds into milliseconds).
nlohmann::json to_json(const Stats& stats, double scale = 1.0);

}  // namespace attune::app::bench
