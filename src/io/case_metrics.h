// case_metrics.h: a case's per-session metrics and trends, ready for the
// command line, the charts and the exports (one piece serves all three).
// Metrics are computed from the therapist's layer: the case clinician's
// observations (other raters' layers never mix in).
#pragma once

#include "core/metrics.h"
#include "core/model.h"
#include "store/database.h"

#include <vector>

namespace attune::io {

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

// The settings stored in the database (defaults of DOMAIN.md when none).
MetricSettings load_metric_settings(store::Database& db);

// Every session of the case, or only those whose date is in [from, to] (ISO
// dates; empty = open). Throws StoreError.
CaseMetrics compute_case_metrics(store::Database& db, RowId case_id, const MetricSettings& settings,
                                 const std::string& from = "", const std::string& to = "");

}  // namespace attune::io
