// metrics.h: per-session metrics and case trends, "Metric definitions
// (version 1)" in shared DOMAIN.md. Pure functions over domain structs.
//
// Decisions the definitions leave open (each is also commented where it acts):
// - Partners. Ruptures, repairs and signals count only for who = A, B or
//   `both`. An observation by `therapist` with a non-intervention code belongs
//   to neither partner and is left out of every partner metric.
// - `both` ruptures have their own bucket (`ruptures_both`) and count in the
//   overall rupture total, so total = A.total + B.total + both.total.
// - "The other partner": a repair by `both` answers a signal by A or by B (the
//   other partner took part in it). A signal by `both` has no other partner:
//   it counts as a signal but is never answered. Pursue->withdraw sequences are
//   only A->B or B->A; a `both` pursue or withdraw takes part in none.
// - Time withdrawn: a withdraw state event by `both` adds its duration to A
//   and to B (each was withdrawn for that time).
// - Therapist moves count every intervention-polarity code whoever it is
//   attributed to, keyed by the code id.
// - Observations with a non-finite time, or a code not in the scheme, are
//   ignored; a non-positive or non-finite active time gives D = 0.
#pragma once

#include "core/model.h"
#include "core/scheme.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace attune {

// The three windows, in seconds. Stored with every computed result so that a
// number can always be traced to the settings that produced it.
struct MetricSettings {
    double repair_window_s = 120;  // W: a repair in (t, t + W] repairs a rupture at t
    double cycle_window_s = 60;    // C: a withdraw in (t, t + C] follows a pursue at t
    double answer_window_s = 120;  // R: a repair in (t, t + R] answers a signal at t
    // M, in active minutes: a shorter session shows its counts but not its
    // rates, and stays out of trends and flags ("Which sessions count", v2).
    double min_active_minutes = 10;
};

// [SECTION] The one rule for a metric window's length, used by the store, the
// settings file, the command line (its parsing and help) and the settings dialog.
inline constexpr double kMaxMetricWindowS = 3600;
// A window's length in seconds is valid when it is more than 0 and at most an hour.
bool is_valid_metric_window(double seconds);
// "more than 0 and at most 3600 seconds": the rule in words, for help and messages.
std::string metric_window_rule_text();
// The rule for M, the active minutes a session needs to count toward trends.
inline constexpr double kMaxMinActiveMinutes = 120;
// Valid when at least 0 (every ended session counts) and at most two hours.
bool is_valid_min_active_minutes(double minutes);
// "from 0 to 120 minutes": the rule in words, for help and messages.
std::string min_active_minutes_rule_text();
// Empty when every window and M are valid; else one sentence naming the first that is not.
std::string metric_settings_problem(const MetricSettings& settings);

// Ruptures of one partner (or of `both`), per rupture category.
struct RuptureCounts {
    std::map<std::string, int> by_category;  // every rupture category id of the scheme, 0 when none
    int total = 0;
};

// One rupture and the repair that repaired it, for drawing links.
struct RuptureLink {
    RowId rupture_id = 0;
    std::optional<RowId> repaired_by;        // earliest repair in (t, t + W]
    std::optional<double> time_to_repair_s;  // repair time - rupture time
};

// One attachment signal and the repair that answered it, for drawing links.
struct SignalLink {
    RowId signal_id = 0;
    std::optional<RowId> answered_by;  // earliest repair by the other partner in (t, t + R]
};

struct PursueWithdrawPair {
    RowId pursue_id = 0;
    RowId withdraw_id = 0;  // the earliest withdraw by the other partner in (t, t + C]
    Who pursuer = Who::A;   // A means an A->B sequence
};

struct SessionMetrics {
    MetricSettings settings;
    double active_minutes = 0;  // D

    RuptureCounts ruptures_a;
    RuptureCounts ruptures_b;
    RuptureCounts ruptures_both;
    int rupture_total = 0;  // A + B + both
    std::optional<double> rupture_rate_per_10min;  // 10 * total / D; none when D = 0

    int repairs = 0;
    std::optional<double> pos_neg_ratio;  // repairs / ruptures; none without rupture
    int repaired_ruptures = 0;
    std::optional<double> repair_rate;               // repaired / ruptures; none without rupture
    std::optional<double> median_time_to_repair_s;   // none without repaired rupture

    int signals = 0;
    int answered_signals = 0;
    std::optional<double> answer_rate;  // answered / signals; none without signal

    int pursue_withdraw_a_to_b = 0;  // A pursued, B withdrew
    int pursue_withdraw_b_to_a = 0;
    double time_withdrawn_a_s = 0;
    double time_withdrawn_b_s = 0;

    std::map<std::string, int> therapist_moves;  // code id -> count

    // Detail for the timeline, in time order. Not part of the cached summary.
    std::vector<RuptureLink> rupture_links;
    std::vector<SignalLink> signal_links;
    std::vector<PursueWithdrawPair> pursue_withdraw_pairs;
};

// Observations may come in any order; deleted ones are skipped.
SessionMetrics compute_session_metrics(const std::vector<Observation>& observations,
                                       const CodingScheme& scheme, double active_seconds,
                                       const MetricSettings& settings);

// Trends are least-squares slopes in units per session; none with too few values.
// Computed over the sessions that count (core/counting.h); the caller leaves
// the others out.
struct CaseTrends {
    std::optional<double> repair_rate;
    std::optional<double> rupture_rate_per_10min;
    std::optional<double> pos_neg_ratio;
    std::optional<double> median_time_to_repair_s;
    std::optional<double> answer_rate;
    bool not_on_track = false;
    std::string not_on_track_reason;  // one sentence for the clinician; empty when on track
};

// Slope over the last 6 entries that have a value, x = the entry's position in
// the whole list (so a session without a value still spaces its neighbours
// apart). None with fewer than 3 values.
std::optional<double> trend_slope(const std::vector<std::optional<double>>& values_in_order);

CaseTrends compute_trends(const std::vector<SessionMetrics>& sessions_in_date_order);

}  // namespace attune
