// case_trends.h: a case's per-session metrics and trends, ready for the
// command line, the charts and the exports (one piece serves all three).
// Metrics are computed from the therapist's layer: the case clinician's
// observations (other raters' layers never mix in).
#pragma once

#include "core/dashboard.h"
#include "core/case_metrics.h"
#include "core/metrics.h"
#include "core/model.h"
#include "services/open_practice.h"

#include <string>

#include <vector>

namespace attune::services {


// Every session of the case with its metrics, or only those whose date is in
// [from, to] (ISO dates; empty = open), and the case's trends. Computed from
// the therapist's layer; summaries come from the metrics cache when they can.
// With the version-2 additions: the case's measures in the range, each
// session's lag-1 sequences and change-event candidates (with the therapist's
// decisions) and the sequences pooled over the sessions in the range
// (has_process_detail is set). The case flag is metrics.not_on_track().
// Throws attune::Error.
CaseMetrics case_metrics(OpenPractice& practice, RowId case_id, const std::string& from = "",
                         const std::string& to = "");

// One session with its per-rupture detail (links, pairs), never cached: for
// the review timeline. `rater_id` picks the layer (the case clinician's for
// the therapist's view). Throws attune::Error.
SessionMetrics session_detail_metrics(OpenPractice& practice, const Session& session, RowId rater_id);

}  // namespace attune::services
