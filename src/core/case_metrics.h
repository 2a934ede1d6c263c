// case_metrics.h: a case's sessions with their metrics and the case's trends,
// as the trends view, the command line and the exports receive them; with the
// version-2 additions (couple-reported measures, lag-1 sequences, change
// events) beside them.
#pragma once

#include <string_view>
#include <utility>
#include <vector>

#include "core/change_event_decisions.h"
#include "core/change_events.h"
#include "core/counting.h"
#include "core/measures.h"
#include "core/metrics.h"
#include "core/model.h"
#include "core/sequences.h"

namespace attune {

struct SessionWithMetrics {
    Session session;
    SessionMetrics metrics;    // without rates and ratios when the session does not count
    SessionCounting counting;  // whether it counts toward trends, and why not
    // Version 2 process detail, over the same layer as `metrics`; filled only
    // where CaseMetrics::has_process_detail is set (not in the caseload's rows).
    SequenceAnalysis sequences;
    ChangeEvents change_events;                      // candidates, with the roles over sessions up to this one
    std::vector<CandidateDecisionRecord> decisions;  // the therapist's, on this session's candidates
    ConfirmedChangeEvents confirmed;                 // of change_events, by the decisions
};

// A case's couple-reported measures ("Couple-reported measures (version 2)").
struct CaseMeasures {
    std::vector<Measure> administrations;      // in date order, then entry order
    std::vector<Instrument> instruments;       // those the administrations use, in catalog order
    std::vector<InstrumentSummary> summaries;  // summarize_measures over the administrations
    const Instrument* find(std::string_view id) const;
};

struct CaseMetrics {
    Case info;
    MetricSettings settings;
    std::vector<SessionWithMetrics> sessions;  // in date order (then number); counted or not
    // Over the sessions that count only. Version 1: trends.not_on_track is the
    // coded-process rule alone.
    CaseTrends trends;
    CaseMeasures measures;
    bool has_process_detail = false;    // the sessions' sequences and change events are filled
    SequenceAnalysis pooled_sequences;  // over `sessions`, counts summed (empty without process detail)

    // The sessions that count, in date order.
    std::vector<const SessionWithMetrics*> counted() const;

    // The case flag, version 2: the coded-process rule or reliable deterioration
    // on a measure (core/measures.h not_on_track_v2).
    NotOnTrack not_on_track() const { return not_on_track_v2(trends, measures.summaries); }
};

// Decides which sessions count (core/counting.h), removes the rates of those
// that do not, and computes the trends over those that do. `sessions` in date
// order (then number).
CaseMetrics assemble_case_metrics(Case info, const MetricSettings& settings,
                                  std::vector<std::pair<Session, SessionMetrics>> sessions);

// The confirmed change events of every session, summed.
ConfirmedChangeEvents confirmed_total(const CaseMetrics& metrics);

}  // namespace attune
