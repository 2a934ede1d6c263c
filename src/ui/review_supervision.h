// review_supervision.h: the supervision panel of the review screen: the
// note's signatures (Sign / Co-sign), addenda, comments pinned to moments and
// the inter-rater agreement of the case clinician with a second rater.
//
// Everything drawn comes from ReviewSupervisionState, re-read from the store
// only when AppModel::data_version() or the session changes; agreement is
// recomputed in memory when rater B or the tolerance changes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/agreement.h"
#include "core/records.h"
#include "core/scheme.h"
#include "ui/app_model.h"

namespace attune::ui {

struct ReviewSupervisionState {
    // [SECTION] Cached from the store
    std::uint64_t loaded_version = 0;
    RowId loaded_session = 0;
    Case case_info;
    std::vector<Signature> signatures;
    std::vector<Addendum> addenda;
    std::vector<ReviewComment> comments;
    std::vector<Observation> observations;  // every rater's, not deleted
    std::vector<Person> other_raters;       // raters of the session other than the case clinician
    std::vector<Person> raters;             // every rater of the session, the case clinician first
    CodingScheme scheme;                    // the session's, set by the review: tables show code labels

    // [SECTION] Agreement, recomputed from `observations` without the store,
    // only when rater A, rater B, the tolerance or the data change.
    RowId rater_a = 0;         // 0 = none chosen yet (defaults to the case clinician)
    RowId rater_b = 0;         // 0 = none chosen yet (defaults to the first other rater)
    float tolerance_s = 5.0f;  // T of DOMAIN.md, seconds
    std::optional<AgreementResult> agreement;
    int agreement_computations = 0;  // how often compute_agreement ran (tests: not per frame)
    RowId agreement_rater_a = 0;
    RowId agreement_rater = 0;
    float agreement_tolerance = -1.0f;
    std::uint64_t agreement_version = 0;

    // [SECTION] What the user is typing
    std::string new_addendum;
    std::string new_comment;
    float comment_at_s = 0.0f;  // session-clock seconds
};

// Re-reads the state when the data version or the session changed (no query otherwise).
void refresh_review_supervision(AppModel& model, RowId case_id, RowId session_id, ReviewSupervisionState& state);

// Recomputes the agreement of rater A with rater B when the selection, the
// tolerance or the data changed; resets it when fewer than two raters coded.
void update_review_agreement(ReviewSupervisionState& state);

// The rater's name, or "" when unknown.
std::string rater_name(const ReviewSupervisionState& state, RowId rater_id);

void draw_review_supervision(AppModel& model, RowId case_id, RowId session_id, ReviewSupervisionState& state);

}  // namespace attune::ui
