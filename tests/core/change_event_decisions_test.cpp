#include "core/change_event_decisions.h"

#include <catch2/catch_test_macros.hpp>

using namespace attune;

namespace {

ChangeEventCandidate candidate(ChangeEventKind kind, const char* antecedent_uuid) {
    ChangeEventCandidate c;
    c.kind = kind;
    c.antecedent_uuid = antecedent_uuid;
    return c;
}

CandidateDecisionRecord record(const std::string& key, CandidateDecision decision) {
    return {key, decision, "Dr Test", "2026-01-01T10:00:00Z"};
}

}  // namespace

TEST_CASE("only confirmed candidates count; rejected, undecided and stale decisions do not", "[change-events]") {
    ChangeEvents events;
    events.candidates = {candidate(ChangeEventKind::WithdrawerReengagement, "u1"),
                         candidate(ChangeEventKind::WithdrawerReengagement, "u2"),
                         candidate(ChangeEventKind::BlamerSoftening, "u3"),
                         candidate(ChangeEventKind::BlamerSoftening, "u4")};
    const std::vector<CandidateDecisionRecord> decisions = {
        record("withdrawer_reengagement:u1", CandidateDecision::Confirmed),
        record("withdrawer_reengagement:u2", CandidateDecision::Rejected),
        record("blamer_softening:u4", CandidateDecision::Confirmed),
        // u3's antecedent as the other kind: a different candidate, so u3 stays undecided.
        record("withdrawer_reengagement:u3", CandidateDecision::Confirmed),
        record("blamer_softening:gone", CandidateDecision::Confirmed),  // its candidate no longer exists
    };
    const ConfirmedChangeEvents confirmed = confirmed_change_events(events, decisions);
    CHECK(confirmed.withdrawer_reengagement == 1);
    CHECK(confirmed.blamer_softening == 1);
    CHECK(confirmed.total() == 2);
    CHECK(decision_for(events.candidates[1], decisions)->decision == CandidateDecision::Rejected);
    CHECK(decision_for(events.candidates[2], decisions) == nullptr);
}

TEST_CASE("decisions read and write as confirmed and rejected only", "[change-events]") {
    CHECK(to_string(CandidateDecision::Confirmed) == "confirmed");
    CHECK(parse_candidate_decision("rejected") == CandidateDecision::Rejected);
    CHECK_FALSE(parse_candidate_decision("Confirmed").has_value());
    CHECK_FALSE(parse_candidate_decision("").has_value());
}
