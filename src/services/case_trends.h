// case_trends.h: a case's per-session metrics and trends, ready for the
// command line, the charts and the exports (one piece serves all three).
// Metrics are computed from the therapist's layer: the case clinician's
// observations (other raters' layers never mix in).
#pragma once

#include <string>
#include <vector>

#include "core/case_metrics.h"
#include "core/counting.h"
#include "core/dashboard.h"
#include "core/metrics.h"
#include "core/model.h"
#include "services/open_practice.h"

namespace attune::services {

// Every session of the case with its metrics, or only those whose date is in
// [from, to] (ISO dates; empty = open), and the case's trends. Computed from
// the therapist's layer; summaries come from the metrics cache when they can.
// Sessions that do not count (core/counting.h) are listed with their reason
// and without rates; the trends use only those that count.
// With the version-2 additions: the case's measures in the range, each
// session's lag-1 sequences and change-event candidates (with the therapist's
// decisions) and the sequences pooled over the sessions in the range
// (has_process_detail is set). The case flag is metrics.not_on_track().
// Throws attune::Error.
CaseMetrics case_metrics(OpenPractice& practice, RowId case_id, const std::string& from = "",
                         const std::string& to = "");

// The caseload dashboard's row of one case (its sparklines and flags, in the
// dashboard's order, safety first), computed on the calling thread; `today` ISO.
DashboardRow case_dashboard_row(OpenPractice& practice, RowId case_id, const std::string& today);

// Whether the session counts toward trends with the practice's M, and why not.
SessionCounting session_counting(OpenPractice& practice, const Session& session);

// One session with its per-rupture detail (links, pairs), never cached: for
// the review timeline. `rater_id` picks the layer (the case clinician's for
// the therapist's view). Throws attune::Error.
SessionMetrics session_detail_metrics(OpenPractice& practice, const Session& session, RowId rater_id);

}  // namespace attune::services
