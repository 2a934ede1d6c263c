// bench_gui.h: idle CPU of the real window. `attune bench` starts this very
// binary as `attune window ...` on the current DISPLAY, lets it settle, and
// reads its CPU time from /proc/<pid>/stat over a stretch where nobody
// touches it. Without a DISPLAY nothing is started and the figure is
// reported as not measured.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace attune::app::bench {

struct IdleCpu {
    bool measured = false;
    std::string reason;         // why not measured
    double cpu_per_wall = 0;    // CPU seconds (all threads, user + system) per wall second
    double wall_seconds = 0;    // length of the measured stretch
    double settle_seconds = 0;  // from launch until the window stopped working
    double peak_rss_mib = 0;    // VmHWM of the window process
};

// Runs `attune window <arguments>` with XDG_CONFIG_HOME=`config_dir` and
// XDG_DATA_HOME under it (the user's layout, settings and backups stay
// untouched), waits until its CPU use settles
// (at most `settle_limit` seconds), then measures `idle_seconds`.
IdleCpu measure_window_idle(const std::vector<std::string>& arguments, const std::filesystem::path& config_dir,
                            double idle_seconds, double settle_limit);

// `attune-bench window --db F [--view caseload|session|review] [--case L --start-session | --case L --session N]`
void register_window_command();

}  // namespace attune::app::bench
