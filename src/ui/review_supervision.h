// review_supervision.h: the supervision panel of the review screen: the
// note's signatures (Sign / Co-sign), addenda, comments pinned to moments, the
// coders the session is assigned to, and the inter-rater agreement of the case
// clinician with a second rater.
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
#include "core/rating_agreement.h"
#include "core/records.h"
#include "core/scheme.h"
#include "core/time_slice_kappa.h"
#include "services/supervision.h"
#include "ui/app_model.h"
#include "ui/clock_field.h"
#include "ui/dialog.h"

namespace attune::ui {

// Asks before signing or co-signing, and says what sealing means.
class SignConfirmation final : public Modal {
public:
    explicit SignConfirmation(SignatureRole role);
    // What the dialog is about, set every frame before draw(): the session and
    // the person who signed it first (for a co-signature).
    void target(AppModel& model, const Case& c, const Session& s, const std::string& first_signer);

private:
    void draw_content() override;
    SignatureRole role_;
    AppModel* model_ = nullptr;
    Case case_;
    Session session_;
    std::string first_signer_;
};

struct ReviewSupervisionState {
    // [SECTION] Cached from the store
    std::uint64_t loaded_version = 0;
    RowId loaded_session = 0;
    Case case_info;
    Session session;
    std::vector<Signature> signatures;
    // Each signature verified against the session as it is now, at the last reload.
    std::vector<services::SignatureCheck> checks;
    // What the person signed in may do here (services decide again when they do it).
    services::SupervisionRecord::Rights rights;  // what the signed-in person may do here now
    RowId me = 0;                   // the signed-in person (a comment's author edits it)
    std::vector<Addendum> addenda;
    std::vector<ReviewComment> comments;
    std::vector<Observation> observations;  // every rater's, not deleted
    std::vector<Person> other_raters;       // raters of the session other than the case clinician
    std::vector<Person> raters;             // every rater of the session, the case clinician first
    CodingScheme scheme;                    // the session's, set by the review: tables show code labels
    std::vector<Person> coders;             // the session is assigned to them for coding
    std::vector<Person> coders_to_assign;   // holding the coder role, not assigned it yet

    // [SECTION] Agreement, recomputed from `observations` without the store,
    // only when rater A, rater B, the tolerance or the data change.
    RowId rater_a = 0;         // 0 = none chosen yet (defaults to the case clinician)
    RowId rater_b = 0;         // 0 = none chosen yet (defaults to the first other rater)
    float tolerance_s = 5.0f;  // T of DOMAIN.md, seconds
    std::optional<AgreementResult> agreement;
    // BORIS's time-slice kappa of the same layers (1 s slices, BORIS's default), for comparison.
    std::optional<TimeSliceAgreement> time_slice;
    int agreement_computations = 0;  // how often compute_agreement ran (tests: not per frame)
    RowId agreement_rater_a = 0;
    RowId agreement_rater = 0;
    float agreement_tolerance = -1.0f;
    std::uint64_t agreement_version = 0;

    // [SECTION] Agreement on end-of-session ratings (ICC), over the case's
    // sessions both raters rated: read from the store only when rater A,
    // rater B or the data change.
    std::optional<RatingAgreement> ratings;
    RowId ratings_rater_a = 0;
    RowId ratings_rater_b = 0;
    std::uint64_t ratings_version = 0;

    // [SECTION] What the user is typing
    std::string new_addendum;
    std::string new_comment;
    double comment_at_s = 0.0;  // session-clock seconds; a click on the timeline sets it
    ClockField comment_at_field;
    RowId coder_to_assign = 0;  // chosen in the Coders combo, 0 = the first
    RowId editing_comment = 0;  // the author's comment being edited, 0 = none
    std::string edited_text;
    double edited_at_s = 0.0;
    ClockField edited_at_field;

    SignConfirmation sign_dialog{SignatureRole::Sign};
    SignConfirmation cosign_dialog{SignatureRole::Cosign};

    // Signed (by anyone): the session is sealed.
    bool sealed() const { return !signatures.empty(); }
};

// Re-reads the state when the data version or the session changed (no query otherwise).
void refresh_review_supervision(AppModel& model, RowId case_id, RowId session_id, ReviewSupervisionState& state);

// Recomputes the agreement of rater A with rater B when the selection, the
// tolerance or the data changed; resets it when fewer than two raters coded.
void update_review_agreement(ReviewSupervisionState& state);

// The raters' ratings ICC (state.ratings), read again only when rater A,
// rater B or the data changed; reset while either is not chosen.
void update_ratings_agreement(AppModel& model, RowId case_id, ReviewSupervisionState& state);

// The ratings ICC in words, wherever agreement is shown: "ratings ICC(2,1)
// 0.9 over 3 ratings both gave (1 session)", or why there is none.
std::string ratings_icc_text(const RatingAgreement& ratings);

// The rater's name, or "" when unknown.
std::string rater_name(const ReviewSupervisionState& state, RowId rater_id);

// The signatures with Sign and Co-sign (the review shows them first, above the
// notes they seal), then the addenda, comments, coders and agreement below the notes;
// draw_review_supervision draws both in that order.
void draw_review_signatures(AppModel& model, RowId case_id, RowId session_id, ReviewSupervisionState& state);
void draw_review_discussion(AppModel& model, RowId case_id, RowId session_id, ReviewSupervisionState& state);
void draw_review_supervision(AppModel& model, RowId case_id, RowId session_id, ReviewSupervisionState& state);

}  // namespace attune::ui
