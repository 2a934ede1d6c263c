// change_event_decisions.h: the therapist's confirm or reject of a change-event
// candidate ("Change events (version 2)" in shared DOMAIN.md: only confirmed
// ones are charted as events). Pure: the store keeps the records, this decides
// what they mean for the candidates found now.
//
// A decision is keyed by ChangeEventCandidate::key() (the kind and the
// antecedent's uuid), so it survives recomputation. A decision whose candidate
// is no longer found (its observations were edited or deleted) counts for
// nothing; it is kept, and counts again if the candidate comes back.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/change_events.h"

namespace attune {

enum class CandidateDecision { Confirmed, Rejected };
std::string_view to_string(CandidateDecision decision);  // "confirmed", "rejected"
std::optional<CandidateDecision> parse_candidate_decision(std::string_view text);

struct CandidateDecisionRecord {
    std::string candidate_key;  // ChangeEventCandidate::key()
    CandidateDecision decision = CandidateDecision::Confirmed;
    std::string decided_by;  // the person's name
    std::string decided_at;  // UTC, ISO 8601
};

// The decision on `candidate`, or none while it is undecided.
const CandidateDecisionRecord* decision_for(const ChangeEventCandidate& candidate,
                                            const std::vector<CandidateDecisionRecord>& decisions);

struct ConfirmedChangeEvents {
    int withdrawer_reengagement = 0;
    int blamer_softening = 0;
    int total() const { return withdrawer_reengagement + blamer_softening; }
};

// The candidates of `events` the therapist confirmed, by kind.
ConfirmedChangeEvents confirmed_change_events(const ChangeEvents& events,
                                              const std::vector<CandidateDecisionRecord>& decisions);

}  // namespace attune
