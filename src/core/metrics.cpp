// metrics.cpp: see metrics.h for the decisions DOMAIN.md leaves open.
//
// [SECTION] Helpers
// [SECTION] Session metrics
// [SECTION] Trends
#include "core/metrics.h"

#include <algorithm>
#include <cmath>
#include <utility>
#include <cstdio>

namespace attune {
namespace {

// [SECTION] Helpers

// Session clocks record to the millisecond at best, so times closer than this
// are one instant. It keeps "exactly at t + W" inside the window when t + W
// rounds, and a repair logged at t itself outside it (the window is open at t).
constexpr double kSameInstantS = 1e-6;

// True when `t` lies in (start, start + width].
bool in_window(double start, double t, double width) {
    return t > start + kSameInstantS && t <= start + width + kSameInstantS;
}

struct Coded {
    const Observation* obs;
    const Code* code;
};

// Partner metrics count A, B and `both`; a therapist's non-intervention code
// describes the couple's process from the therapist's side, not a partner.
bool is_partner(Who who) { return who == Who::A || who == Who::B || who == Who::Both; }

std::optional<double> ratio(int numerator, int denominator) {
    if (denominator == 0) return std::nullopt;
    return static_cast<double>(numerator) / denominator;
}

std::optional<double> median(std::vector<double> values) {
    if (values.empty()) return std::nullopt;
    std::sort(values.begin(), values.end());
    const size_t mid = values.size() / 2;
    if (values.size() % 2 == 1) return values[mid];
    return (values[mid - 1] + values[mid]) / 2;
}

RuptureCounts empty_rupture_counts(const CodingScheme& scheme) {
    RuptureCounts counts;
    for (const Category& category : scheme.categories)
        if (category.polarity == Polarity::Rupture) counts.by_category[category.id] = 0;
    return counts;
}

// The first candidate after `start` (in time order) that `accepts`, if it
// lies within `width`; candidates are sorted, so a later one cannot be nearer.
template <typename Accepts>
const Coded* first_in_window(const std::vector<Coded>& candidates, double start, double width,
                             Accepts accepts) {
    for (const Coded& candidate : candidates) {
        const double t = candidate.obs->t;
        if (t <= start + kSameInstantS || !accepts(candidate)) continue;
        return in_window(start, t, width) ? &candidate : nullptr;
    }
    return nullptr;
}

}  // namespace

// [SECTION] Session metrics

SessionMetrics compute_session_metrics(const std::vector<Observation>& observations,
                                       const CodingScheme& scheme, double active_seconds,
                                       const MetricSettings& settings) {
    SessionMetrics m;
    m.settings = settings;
    const double active = std::isfinite(active_seconds) && active_seconds > 0 ? active_seconds : 0;
    m.active_minutes = active / 60;
    m.ruptures_a = empty_rupture_counts(scheme);
    m.ruptures_b = m.ruptures_a;
    m.ruptures_both = m.ruptures_a;

    std::vector<Coded> coded;
    for (const Observation& obs : observations) {
        // A NaN time would break the sort's ordering, so it cannot be placed on the clock.
        if (obs.deleted || !std::isfinite(obs.t)) continue;
        if (const Code* code = scheme.find(obs.code_id)) coded.push_back({&obs, code});
    }
    // Ties broken by id so that input order never changes which repair is "earliest".
    std::sort(coded.begin(), coded.end(), [](const Coded& x, const Coded& y) {
        if (x.obs->t != y.obs->t) return x.obs->t < y.obs->t;
        return x.obs->id < y.obs->id;
    });

    std::vector<Coded> ruptures;
    std::vector<Coded> repairs;
    std::vector<Coded> signals;
    for (const Coded& c : coded) {
        const Observation& obs = *c.obs;
        if (c.code->polarity == Polarity::Intervention) {
            ++m.therapist_moves[c.code->id];
            continue;
        }
        if (!is_partner(obs.who)) continue;
        switch (c.code->polarity) {
        case Polarity::Rupture: {
            ruptures.push_back(c);
            RuptureCounts& counts = obs.who == Who::A   ? m.ruptures_a
                                    : obs.who == Who::B ? m.ruptures_b
                                                        : m.ruptures_both;
            ++counts.by_category[c.code->category];
            ++counts.total;
            // A stop is what gives a state event its duration, so it is read
            // whatever `kind` says. An open state event (no stop yet) adds nothing;
            // a stop before the start is bad data and adds nothing rather than subtracting.
            if (c.code->cycle_role == CycleRole::Withdraw && obs.stop && std::isfinite(*obs.stop)) {
                const double duration = std::max(0.0, *obs.stop - obs.t);
                if (obs.who != Who::B) m.time_withdrawn_a_s += duration;
                if (obs.who != Who::A) m.time_withdrawn_b_s += duration;
            }
            break;
        }
        case Polarity::Repair: repairs.push_back(c); break;
        case Polarity::Signal: signals.push_back(c); break;
        case Polarity::Intervention: break;
        }
    }

    m.rupture_total = static_cast<int>(ruptures.size());
    if (active > 0) m.rupture_rate_per_10min = 10.0 * m.rupture_total / m.active_minutes;
    m.repairs = static_cast<int>(repairs.size());
    m.pos_neg_ratio = ratio(m.repairs, m.rupture_total);

    // Repairs by either partner (or both) repair any rupture; one repair may repair several.
    std::vector<double> times_to_repair;
    for (const Coded& rupture : ruptures) {
        RuptureLink link;
        link.rupture_id = rupture.obs->id;
        const double t = rupture.obs->t;
        if (const Coded* repair = first_in_window(repairs, t, settings.repair_window_s,
                                                  [](const Coded&) { return true; })) {
            link.repaired_by = repair->obs->id;
            link.time_to_repair_s = repair->obs->t - t;
            times_to_repair.push_back(*link.time_to_repair_s);
        }
        m.rupture_links.push_back(link);
    }
    m.repaired_ruptures = static_cast<int>(times_to_repair.size());
    m.repair_rate = ratio(m.repaired_ruptures, m.rupture_total);
    m.median_time_to_repair_s = median(std::move(times_to_repair));

    // A signal by `both` has no "other partner", so it stays unanswered; a repair
    // by `both` includes the other partner, so it answers A's or B's signal.
    for (const Coded& signal : signals) {
        SignalLink link;
        link.signal_id = signal.obs->id;
        const Who signaller = signal.obs->who;
        if (signaller != Who::Both) {
            const Who other = other_partner(signaller);
            auto by_other = [other](const Coded& c) { return c.obs->who == other || c.obs->who == Who::Both; };
            if (const Coded* repair = first_in_window(repairs, signal.obs->t, settings.answer_window_s, by_other))
                link.answered_by = repair->obs->id;
        }
        if (link.answered_by) ++m.answered_signals;
        ++m.signals;
        m.signal_links.push_back(link);
    }
    m.answer_rate = ratio(m.answered_signals, m.signals);

    // The negative cycle is between two people: a `both` pursue or withdraw joins no sequence.
    // Each pursue pairs with at most one (the earliest) withdraw; a withdraw may close
    // several pursues, as DOMAIN.md limits only the pursue side.
    for (const Coded& pursue : ruptures) {
        const Who pursuer = pursue.obs->who;
        if (pursue.code->cycle_role != CycleRole::Pursue || pursuer == Who::Both) continue;
        const Who other = other_partner(pursuer);
        auto withdraw_by_other = [other](const Coded& c) {
            return c.obs->who == other && c.code->cycle_role == CycleRole::Withdraw;
        };
        const Coded* withdraw = first_in_window(ruptures, pursue.obs->t, settings.cycle_window_s, withdraw_by_other);
        if (!withdraw) continue;
        m.pursue_withdraw_pairs.push_back({pursue.obs->id, withdraw->obs->id, pursuer});
        ++(pursuer == Who::A ? m.pursue_withdraw_a_to_b : m.pursue_withdraw_b_to_a);
    }
    return m;
}

// [SECTION] Trends

std::optional<double> trend_slope(const std::vector<std::optional<double>>& values_in_order) {
    constexpr size_t kLastSessions = 6;
    constexpr size_t kMinValues = 3;
    std::vector<std::pair<double, double>> points;  // (position in the list, value)
    for (size_t i = 0; i < values_in_order.size(); ++i)
        if (values_in_order[i] && std::isfinite(*values_in_order[i]))
            points.emplace_back(static_cast<double>(i), *values_in_order[i]);
    if (points.size() < kMinValues) return std::nullopt;
    if (points.size() > kLastSessions) points.erase(points.begin(), points.end() - kLastSessions);

    const double n = static_cast<double>(points.size());
    double mean_x = 0;
    double mean_y = 0;
    double largest = 1;
    for (const auto& [x, y] : points) {
        mean_x += x / n;
        mean_y += y / n;
        largest = std::max(largest, std::abs(y));
    }
    double sxx = 0;
    double sxy = 0;
    for (const auto& [x, y] : points) {
        sxx += (x - mean_x) * (x - mean_x);
        sxy += (x - mean_x) * (y - mean_y);
    }
    const double slope = sxy / sxx;  // sxx > 0: the x are distinct positions
    // A flat series must read as flat (the not-on-track flag tests <= 0), not as
    // rounding noise a hair above or below zero.
    if (std::abs(slope) <= 1e-12 * largest) return 0.0;
    return slope;
}

namespace {

std::vector<std::optional<double>> series(const std::vector<SessionMetrics>& sessions,
                                          std::optional<double> SessionMetrics::*metric) {
    std::vector<std::optional<double>> out;
    out.reserve(sessions.size());
    for (const SessionMetrics& session : sessions) out.push_back(session.*metric);
    return out;
}

// Fixed-point text without "-0.00" for a value that rounds to zero. The minus
// stays ASCII: the UI's default font has no U+2212 glyph.
std::string fixed(double value, int decimals) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
    std::string text = buffer;
    if (text.front() == '-' && text.find_first_not_of("-0.") == std::string::npos) text.erase(0, 1);
    return text;
}

double mean(std::vector<double>::const_iterator begin, std::vector<double>::const_iterator end) {
    double sum = 0;
    for (auto it = begin; it != end; ++it) sum += *it;
    return sum / static_cast<double>(end - begin);
}

}  // namespace

CaseTrends compute_trends(const std::vector<SessionMetrics>& sessions_in_date_order) {
    const auto& sessions = sessions_in_date_order;
    CaseTrends trends;
    trends.repair_rate = trend_slope(series(sessions, &SessionMetrics::repair_rate));
    trends.rupture_rate_per_10min = trend_slope(series(sessions, &SessionMetrics::rupture_rate_per_10min));
    trends.pos_neg_ratio = trend_slope(series(sessions, &SessionMetrics::pos_neg_ratio));
    trends.median_time_to_repair_s = trend_slope(series(sessions, &SessionMetrics::median_time_to_repair_s));
    trends.answer_rate = trend_slope(series(sessions, &SessionMetrics::answer_rate));

    // A none trend (fewer than 3 sessions with a repair rate) is not "<= 0":
    // without evidence of a flat or falling repair rate the case is not flagged.
    constexpr size_t kMinSessions = 5;
    constexpr size_t kEnds = 3;
    if (sessions.size() < kMinSessions || !trends.repair_rate || *trends.repair_rate > 0) return trends;

    // Sessions without a rupture rate (no active time) say nothing about how
    // often ruptures happen: the first and last 3 are taken among those with a
    // rate, and with fewer than 3 such sessions the case is not flagged.
    std::vector<double> rates;
    for (const SessionMetrics& session : sessions)
        if (session.rupture_rate_per_10min) rates.push_back(*session.rupture_rate_per_10min);
    if (rates.size() < kEnds) return trends;
    const auto ends = static_cast<std::ptrdiff_t>(kEnds);
    const double first = mean(rates.begin(), rates.begin() + ends);
    const double last = mean(rates.end() - ends, rates.end());
    // The same rates summed in another order may differ in the last bit; equal means "as frequent".
    if (last < first - 1e-9) return trends;

    trends.not_on_track = true;
    const bool flat = fixed(*trends.repair_rate, 2) == "0.00";
    trends.not_on_track_reason = std::string("Repair rate is ") + (flat ? "flat" : "falling") + " (" +
                                 fixed(*trends.repair_rate, 2) +
                                 " per session) and ruptures are at least as frequent as at the start (" +
                                 fixed(last, 1) + " per 10 min in the last 3 sessions vs " + fixed(first, 1) +
                                 " in the first 3).";
    return trends;
}

// [SECTION] Metric windows

bool is_valid_metric_window(double seconds) {
    return std::isfinite(seconds) && seconds > 0 && seconds <= kMaxMetricWindowS;
}

std::string metric_window_rule_text() { return "more than 0 and at most 3600 seconds"; }

bool is_valid_min_active_minutes(double minutes) {
    return std::isfinite(minutes) && minutes >= 0 && minutes <= kMaxMinActiveMinutes;
}

std::string min_active_minutes_rule_text() {
    return "from 0 to 120 minutes";
}

std::string metric_settings_problem(const MetricSettings& settings) {
    const std::pair<double, const char*> windows[] = {{settings.repair_window_s, "repair window"},
                                                      {settings.cycle_window_s, "cycle window"},
                                                      {settings.answer_window_s, "answer window"}};
    for (const auto& [value, name] : windows)
        if (!is_valid_metric_window(value)) return std::string("the ") + name + " must be " + metric_window_rule_text();
    if (!is_valid_min_active_minutes(settings.min_active_minutes))
        return "the minimum length of a counted session must be " + min_active_minutes_rule_text();
    return "";
}

}  // namespace attune
