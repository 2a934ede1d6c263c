// metrics_internal.h: private to src/services. A case's metrics computed on a
// given connection: the main one (the trends view, exports) or a worker's
// (the caseload's rows). services/case_trends.h is the public face.
#pragma once

#include "core/case_metrics.h"
#include "core/dashboard.h"
#include "store/database.h"

#include <string>

namespace attune::services::detail {

// One session with its per-rupture detail (links, pairs), never cached.
SessionMetrics compute_session_detail(store::Database& db, const Session& session, RowId rater_id,
                                      const MetricSettings& settings);
// Every session of the case, or only those whose date is in [from, to], and the
// case's measures in that range (no process detail: services/process_detail.h
// adds it). Summaries come from the metrics cache when computed with the same
// settings; the rest are computed and cached in one transaction (which does
// not move the data version).
CaseMetrics compute_case_metrics(store::Database& db, RowId case_id, const MetricSettings& settings,
                                 const std::string& from = "", const std::string& to = "");
// The caseload dashboard's row of one case, its Not on track flag version 2.
DashboardRow case_dashboard_row(store::Database& db, RowId case_id, const MetricSettings& settings,
                                const std::string& today);

}  // namespace attune::services::detail
