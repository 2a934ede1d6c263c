// case_metrics.h: a case's sessions with their metrics and the case's trends,
// as the trends view, the command line and the exports receive them.
#pragma once

#include <utility>
#include <vector>

#include "core/counting.h"
#include "core/metrics.h"
#include "core/model.h"

namespace attune {

struct SessionWithMetrics {
    Session session;
    SessionMetrics metrics;    // without rates and ratios when the session does not count
    SessionCounting counting;  // whether it counts toward trends, and why not
};

struct CaseMetrics {
    Case info;
    MetricSettings settings;
    std::vector<SessionWithMetrics> sessions;  // in date order (then number); counted or not
    CaseTrends trends;                         // over the sessions that count only

    // The sessions that count, in date order.
    std::vector<const SessionWithMetrics*> counted() const;
};

// Decides which sessions count (core/counting.h), removes the rates of those
// that do not, and computes the trends over those that do. `sessions` in date
// order (then number).
CaseMetrics assemble_case_metrics(Case info, const MetricSettings& settings,
                                  std::vector<std::pair<Session, SessionMetrics>> sessions);

}  // namespace attune
