#include "core/counting.h"

#include <algorithm>
#include <cmath>

#include "core/text.h"

namespace attune {

SessionCounting session_counting(const Session& session, const MetricSettings& settings) {
    const std::string mark = trim(session.not_for_trends);
    if (!mark.empty()) return {false, "marked not for trends (" + mark + ")"};
    if (session.state == SessionState::Running) return {false, "still running"};
    if (session.state == SessionState::Paused) return {false, "paused, not ended yet"};
    const double active = std::isfinite(session.active_seconds) ? std::max(0.0, session.active_seconds) : 0.0;
    // Compared in seconds so that "exactly 10:00" counts with M = 10; said as a
    // clock ("09:59"), which never rounds a short session up to M.
    if (active + 1e-9 < settings.min_active_minutes * 60.0)
        return {false, format_clock(active) + " of active time, less than the " +
                           format_number(settings.min_active_minutes, 1) + " minutes a counted session needs"};
    return {};
}

SessionMetrics counts_only(SessionMetrics metrics) {
    metrics.rupture_rate_per_10min.reset();
    metrics.pos_neg_ratio.reset();
    metrics.repair_rate.reset();
    metrics.answer_rate.reset();
    return metrics;
}

std::string not_counted_sentence(const SessionCounting& counting) {
    if (counting.counts) return "";
    return "Not counted toward trends: " + counting.reason + ".";
}

}  // namespace attune
