// process_detail.h: private to src/services. The version-2 process detail of
// a case's sessions ("Sequences between partners", "Change events" in shared
// DOMAIN.md) over the case clinician's layer, as the metrics are: each
// session's lag-1 sequences, its change-event candidates with the therapist's
// decisions on them, and the pool. The pursuer and withdrawer of a session are
// decided over every session of the case up to and including it, in date
// order (each session counted with its own scheme version).
#pragma once

#include <map>
#include <set>

#include "core/case_metrics.h"
#include "store/database.h"

namespace attune::services::detail {

struct SessionProcess {
    SequenceAnalysis sequences;
    ChangeEvents change_events;
    std::vector<CandidateDecisionRecord> decisions;
    ConfirmedChangeEvents confirmed;
};

// The sessions of case `c` in `wanted` (ids), keyed by session id.
std::map<RowId, SessionProcess> session_process(store::Database& db, const Case& c, const std::set<RowId>& wanted,
                                                const MetricSettings& settings);

// Fills every session of `metrics` with its process detail, and the pool.
void add_process_detail(store::Database& db, CaseMetrics& metrics);

}  // namespace attune::services::detail
