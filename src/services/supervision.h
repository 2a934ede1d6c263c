// supervision.h: reviewing one session: what the review view shows (the
// therapist's layer with its rupture/repair links, the note, every rater's
// coding, signatures, addenda, pinned comments), and the supervision actions
// (sign, co-sign, addenda, comments) and rater agreement the review panel and
// the command line share. Throws attune::Error.
#pragma once

#include <vector>

#include "core/agreement.h"
#include "core/metrics.h"
#include "core/model.h"
#include "core/records.h"
#include "core/scheme.h"
#include "core/time_slice_kappa.h"

namespace attune::services {

class OpenPractice;

// What the review screen shows of one session, read once per data change.
struct SessionReview {
    Case case_info;
    Session session;
    CodingScheme scheme;
    std::vector<Observation> therapist_layer;  // the case clinician's observations, in time order
    SessionMetrics metrics;                    // over them, with links and pairs
    ProgressNote note;
};
SessionReview load_session_review(OpenPractice& practice, RowId case_id, RowId session_id);

// The supervision side of a review.
struct SupervisionRecord {
    Case case_info;
    std::vector<Signature> signatures;  // sign first, then cosign
    std::vector<Addendum> addenda;
    std::vector<ReviewComment> comments;    // time order
    std::vector<Observation> observations;  // every rater's, not deleted
    std::vector<Person> raters;             // every rater of the session, the case clinician first (if they coded)
    std::vector<Person> other_raters;       // raters other than the case clinician
};
SupervisionRecord load_supervision(OpenPractice& practice, RowId case_id, RowId session_id);

Signature sign_session(OpenPractice& practice, RowId session_id);
Signature cosign_session(OpenPractice& practice, RowId session_id);
Addendum add_addendum(OpenPractice& practice, RowId session_id, const std::string& text);
ReviewComment add_comment(OpenPractice& practice, RowId session_id, double t, const std::string& text);
std::vector<ReviewComment> list_comments(OpenPractice& practice, RowId session_id);
bool is_signed(OpenPractice& practice, RowId session_id);

// Agreement of two raters' coding of one session (DOMAIN.md).
AgreementResult rater_agreement(OpenPractice& practice, RowId session_id, RowId rater_a, RowId rater_b,
                                double tolerance_s);
// The same over observations already in memory (the review panel recomputes
// on a new tolerance or rater without the store).
AgreementResult rater_agreement(const std::vector<Observation>& observations, RowId rater_a, RowId rater_b,
                                double tolerance_s);
// BORIS's time-slice kappa of the same two layers, for comparison (core/time_slice_kappa.h).
TimeSliceAgreement rater_time_slice_agreement(OpenPractice& practice, RowId session_id, RowId rater_a, RowId rater_b,
                                              double slice_s);
TimeSliceAgreement rater_time_slice_agreement(const std::vector<Observation>& observations, RowId rater_a,
                                              RowId rater_b, double slice_s);

}  // namespace attune::services
