// supervision.h: reviewing one session: what the review view shows (the
// therapist's layer with its rupture/repair links, the note, every rater's
// coding, signatures, addenda, pinned comments), and the supervision actions
// (sign, co-sign, addenda, comments) and rater agreement the review panel and
// the command line share. Throws attune::Error.
#pragma once

#include <vector>

#include "core/agreement.h"
#include "core/change_event_decisions.h"
#include "core/rating_agreement.h"
#include "core/sequences.h"
#include "core/metrics.h"
#include "core/model.h"
#include "core/records.h"
#include "core/scheme.h"
#include "core/time_slice_kappa.h"

#include <optional>
#include <string>
#include <vector>

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
    // Version 2 over the same layer: the lag-1 table, the change-event
    // candidates (roles over the case's sessions up to this one) and the
    // therapist's decisions on them.
    SequenceAnalysis sequences;
    ChangeEvents change_events;
    std::vector<CandidateDecisionRecord> decisions;
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
    // Who codes the session besides its clinician: those it is assigned to,
    // and the people holding the coder role it could be assigned to (by name).
    std::vector<Person> coders;
    std::vector<Person> coders_to_assign;
    // What the signed-in person may do on this session now: the actions below
    // check the same rules, so the window offers what they allow and no more.
    struct Rights {
        bool sign = false;           // the case's clinician; the session ended, not signed yet
        bool cosign = false;         // the case's supervisor; signed with a key, not co-signed yet
        bool add_addendum = false;   // the case's clinician or supervisor, once signed
        bool comment = false;        // whoever reads the case, but a coder
        bool assign_coders = false;  // may_assign_coders
    } rights;
};
SupervisionRecord load_supervision(OpenPractice& practice, RowId case_id, RowId session_id);

// [SECTION] Signatures (issue 16)
// The case's clinician signs an ended session: a digest of the whole session
// (core/session_digest.h) signed with their key; the session is then sealed
// (store triggers). Only the case's named supervisor co-signs, after. Throws
// attune::Error: Denied for anyone else, Invalid when already signed.
Signature sign_session(OpenPractice& practice, RowId session_id);
Signature cosign_session(OpenPractice& practice, RowId session_id);

// One signature checked against the session as it is now and the signer's
// certified key (never a key found in a keyring slot).
struct SignatureCheck {
    enum class Status {
        Verified,
        ChangedAfterSigning,  // the session no longer gives the digest that was signed
        NotTheirKey,          // the digest stands, but the signature is not by the signer's certified key
        NotCryptographic,     // signed by an Attune before signatures were cryptographic
    };
    Signature signature;
    Status status = Status::Verified;
    std::string fingerprint;  // of the key that verified it
    std::string reason;       // in words, empty when verified
    bool verified() const { return status == Status::Verified; }
};
std::vector<SignatureCheck> verify_signatures(OpenPractice& practice, RowId session_id);
// "Signed by Maya Lee, 2026-11-20 — verified" / "... — changed after signing".
std::string signature_line(const SignatureCheck& check);

// Every signature of every case the person may see (or of one case), checked.
struct SessionSignatureCheck {
    Case case_info;
    Session session;
    SignatureCheck check;
};
std::vector<SessionSignatureCheck> verify_practice(OpenPractice& practice, const std::string& case_label = "");

// [SECTION] Who supervises and who codes
// The case's clinician or an administrator names the case's supervisor (a
// person holding the supervisor role); only they co-sign its notes.
void set_case_supervisor(OpenPractice& practice, const std::string& case_label, const std::string& supervisor_name);
// The case's clinician shares it with another clinician (who then reads it).
void share_case(OpenPractice& practice, const std::string& case_label, const std::string& clinician_name);
// The case's clinician stops sharing it with that person; the next sync takes
// the share back on the practice server too. Throws NotFound when it is not
// shared with them.
void unshare_case(OpenPractice& practice, const std::string& case_label, const std::string& clinician_name);
// Who the case is shared with, by name (for its clinician and readers).
std::vector<std::string> case_shared_with(OpenPractice& practice, const std::string& case_label);
// Who may assign the case's sessions to coders and take them back: its
// clinician, its supervisor, or an administrator or a clinician it is shared
// with; where this copy syncs with a practice server, its clinician or its
// supervisor alone (the server refuses the others' assignments, which would
// stay in this copy and never reach the coder). The window reads it too.
bool may_assign_coders(OpenPractice& practice, const Case& c);
// The case's clinician, its supervisor or an administrator assigns a session to a coder.
void assign_coder(OpenPractice& practice, const std::string& case_label, int session_number,
                  const std::string& coder_name);
// The same people take the assignment back; the next sync takes it back on the
// practice server too, and the coder's copy then stops showing the session.
// Throws NotFound when the session is not assigned to them.
void unassign_coder(OpenPractice& practice, const std::string& case_label, int session_number,
                    const std::string& coder_name);
Addendum add_addendum(OpenPractice& practice, RowId session_id, const std::string& text);
ReviewComment add_comment(OpenPractice& practice, RowId session_id, double t, const std::string& text);
std::vector<ReviewComment> list_comments(OpenPractice& practice, RowId session_id);
// Only a comment's author edits it (its moment and text) or takes it down.
ReviewComment edit_comment(OpenPractice& practice, RowId session_id, RowId comment_id, double t,
                           const std::string& text);
void delete_comment(OpenPractice& practice, RowId session_id, RowId comment_id);
bool is_signed(OpenPractice& practice, RowId session_id);

// [SECTION] Change-event candidates: the therapist confirms or rejects
// One candidate of the session (by ChangeEventCandidate::key()), audited.
// NotFound when the session has no such candidate now.
CandidateDecisionRecord decide_change_event(OpenPractice& practice, RowId session_id,
                                            const std::string& candidate_key, CandidateDecision decision);

// [SECTION] End-of-session ratings by a second rater
// `rater_id`'s ratings of a session they coded (each 0-10 or none). Refused
// for the case clinician (their ratings are the session's own, given when it
// ends) and for a person who coded nothing in the session. Audited.
void rate_session(OpenPractice& practice, RowId session_id, RowId rater_id, const Ratings& ratings);
// The ratings `rater_id` gave a session: the session's own for the case
// clinician; none when they gave none.
std::optional<Ratings> ratings_by(OpenPractice& practice, RowId session_id, RowId rater_id);
// ICC(2,1) of two raters' end-of-session ratings over every session of the
// case both rated ("Agreement on ratings (version 2)").
RatingAgreement ratings_agreement(OpenPractice& practice, RowId case_id, RowId rater_a, RowId rater_b);

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
