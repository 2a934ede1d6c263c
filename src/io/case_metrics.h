// case_metrics.h: a case's per-session metrics and trends, ready for the
// command line, the charts and the exports (one piece serves all three).
// Metrics are computed from the therapist's layer: the case clinician's
// observations (other raters' layers never mix in).
#pragma once

#include "core/dashboard.h"
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
// Stores them; throws StoreError Invalid for a window not in (0, 3600] s.
// Cached results of other settings simply stop matching (the cache is keyed by them).
void save_metric_settings(store::Database& db, const MetricSettings& settings);

// One session with its per-rupture detail (links, pairs), never cached: for
// the review timeline. `rater_id` picks the layer (the case clinician's for
// the therapist's view). Throws StoreError.
SessionMetrics compute_session_detail(store::Database& db, const Session& session, RowId rater_id,
                                      const MetricSettings& settings);

// Every session of the case, or only those whose date is in [from, to] (ISO
// dates; empty = open). Summaries come from the store's metrics cache when
// they were computed with the same settings; the rest are computed and cached
// in one transaction. Detail vectors are empty. Throws StoreError.
CaseMetrics compute_case_metrics(store::Database& db, RowId case_id, const MetricSettings& settings,
                                 const std::string& from = "", const std::string& to = "");

// The caseload dashboard's row of one case (flags, sparklines): its metrics as
// compute_case_metrics gives them and whether each session's note is signed.
// `today` is ISO yyyy-mm-dd. Throws StoreError.
DashboardRow case_dashboard_row(store::Database& db, RowId case_id, const MetricSettings& settings,
                                const std::string& today);

}  // namespace attune::io
