// case_metrics.h: a case's sessions with their metrics and the case's trends,
// as the trends view, the command line and the exports receive them.
#pragma once

#include "core/metrics.h"
#include "core/model.h"

#include <vector>

namespace attune {

struct SessionWithMetrics {
    Session session;
    SessionMetrics metrics;
};

struct CaseMetrics {
    Case info;
    MetricSettings settings;
    std::vector<SessionWithMetrics> sessions;  // in date order (then number)
    CaseTrends trends;
};

}  // namespace attune
