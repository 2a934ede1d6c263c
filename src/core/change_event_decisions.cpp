#include "core/change_event_decisions.h"

namespace attune {

std::string_view to_string(CandidateDecision decision) {
    return decision == CandidateDecision::Confirmed ? "confirmed" : "rejected";
}

std::optional<CandidateDecision> parse_candidate_decision(std::string_view text) {
    if (text == "confirmed") return CandidateDecision::Confirmed;
    if (text == "rejected") return CandidateDecision::Rejected;
    return std::nullopt;
}

const CandidateDecisionRecord* decision_for(const ChangeEventCandidate& candidate,
                                            const std::vector<CandidateDecisionRecord>& decisions) {
    const std::string key = candidate.key();
    for (const CandidateDecisionRecord& record : decisions)
        if (record.candidate_key == key) return &record;
    return nullptr;
}

ConfirmedChangeEvents confirmed_change_events(const ChangeEvents& events,
                                              const std::vector<CandidateDecisionRecord>& decisions) {
    ConfirmedChangeEvents out;
    for (const ChangeEventCandidate& candidate : events.candidates) {
        const CandidateDecisionRecord* record = decision_for(candidate, decisions);
        if (!record || record->decision != CandidateDecision::Confirmed) continue;
        ++(candidate.kind == ChangeEventKind::WithdrawerReengagement ? out.withdrawer_reengagement
                                                                     : out.blamer_softening);
    }
    return out;
}

}  // namespace attune
