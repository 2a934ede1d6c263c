// metrics_json.h: metrics as JSON, for exports, the command line and the
// store's cache of computed metrics.
//
// Export shape of one session (`number` and `date` come from the caller):
//   {"number":1, "date":"2024-03-05", "active_minutes":50.0,
//    "ruptures":{"A":{"<category>":n,...,"total":n}, "B":{...}, "both":{...}, "total":n},
//    "rupture_rate_per_10min":x|null, "repairs":n, "pos_neg_ratio":x|null,
//    "repair_rate":x|null, "median_time_to_repair_s":x|null, "signals":n,
//    "answer_rate":x|null, "pursue_withdraw":{"A_to_B":n,"B_to_A":n},
//    "time_withdrawn_s":{"A":x,"B":x}, "therapist_moves":{"<code>":n}}
// "both" holds ruptures coded for both partners at once; "total" counts A, B and both.
// Every rupture category of the scheme is listed, with 0 when it did not occur.
#pragma once

#include "core/metrics.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace attune {

// Bumped whenever a metric definition changes, so that cached results are recomputed.
inline constexpr int kMetricsVersion = 1;

// {"repair_window_s":120,"cycle_window_s":60,"answer_window_s":120,"min_active_minutes":10}
nlohmann::json to_json(const MetricSettings& settings);
// None when a window is missing or breaks the one rule of core/metrics.h (more than 0, at most 3600 s),
// or M breaks its rule; a missing M (settings stored before version 2) is the default 10.
std::optional<MetricSettings> metric_settings_from_json(const nlohmann::json& json);

// The metrics cache's key: the three windows only. M decides which sessions
// count, not what one session's metrics are, so changing it keeps the cache.
std::string metrics_cache_key(const MetricSettings& settings);

// The export shape above.
nlohmann::json to_json(const SessionMetrics& metrics, int number, std::string_view date);

// {"repair_rate":x|null, "rupture_rate_per_10min":x|null, "pos_neg_ratio":x|null,
//  "median_time_to_repair_s":x|null, "answer_rate":x|null}
nlohmann::json to_json(const CaseTrends& trends);

// Cached form: the export shape without number and date, plus "metrics_version",
// "settings", "repaired_ruptures" and "answered_signals" so that every summary
// field reads back. The per-observation detail (links, pairs) is not cached:
// it is recomputed from the observations when a view needs it.
nlohmann::json to_cache_json(const SessionMetrics& metrics);
std::string to_cache_text(const SessionMetrics& metrics);
// None when the JSON is malformed or written by another metrics version: the
// caller recomputes. Detail vectors come back empty.
std::optional<SessionMetrics> session_metrics_from_cache_json(const nlohmann::json& json);
std::optional<SessionMetrics> session_metrics_from_cache_text(std::string_view text);

}  // namespace attune
