#include "services/supervision.h"

#include "services/metrics_internal.h"
#include "services/process_detail.h"
#include "services/practice_access.h"
#include "store/measure_repositories.h"
#include "store/metrics_cache.h"
#include "store/repositories.h"
#include "store/signing.h"

#include "core/text.h"

#include <algorithm>
#include <map>
#include <set>

namespace attune::services {

SessionReview load_session_review(OpenPractice& practice, RowId case_id, RowId session_id) {
    store::Database& db = database_of(practice);
    SessionReview review;
    auto c = store::CaseRepository(db).get(case_id);
    auto s = store::SessionRepository(db).get(session_id);
    if (!c || !s) throw Error(Error::Kind::NotFound, "the session no longer exists");
    review.case_info = *c;
    review.session = *s;
    review.scheme = store::SchemeRepository(db).get(s->scheme_id);
    review.therapist_layer = store::ObservationRepository(db).list_for_session(s->id, c->clinician_id);
    review.metrics = detail::compute_session_detail(db, *s, c->clinician_id, store::load_metric_settings(db));
    review.note = store::SessionRepository(db).progress_note(s->id);
    auto process = detail::session_process(db, *c, {s->id}, store::load_metric_settings(db));
    review.sequences = std::move(process[s->id].sequences);
    review.change_events = std::move(process[s->id].change_events);
    review.decisions = std::move(process[s->id].decisions);
    return review;
}

SupervisionRecord load_supervision(OpenPractice& practice, RowId case_id, RowId session_id) {
    store::Database& db = database_of(practice);
    SupervisionRecord record;
    record.case_info = store::CaseRepository(db).get(case_id).value_or(Case{});
    store::SigningRepository signing(db);
    record.signatures = signing.signatures(session_id);
    record.addenda = signing.addenda(session_id);
    record.comments = store::ReviewCommentRepository(db).list(session_id);
    record.observations = store::ObservationRepository(db).list_for_session(session_id);
    std::set<RowId> rater_ids;
    for (const Observation& o : record.observations)
        if (o.rater_id != record.case_info.clinician_id) rater_ids.insert(o.rater_id);
    store::PeopleRepository people(db);
    for (RowId id : rater_ids)
        if (auto person = people.get(id)) record.other_raters.push_back(*person);
    const bool clinician_coded = std::any_of(record.observations.begin(), record.observations.end(),
                                             [&](const Observation& o) { return o.rater_id == record.case_info.clinician_id; });
    if (clinician_coded)
        if (auto clinician = people.get(record.case_info.clinician_id)) record.raters.push_back(*clinician);
    record.raters.insert(record.raters.end(), record.other_raters.begin(), record.other_raters.end());
    return record;
}

Signature sign_session(OpenPractice& practice, RowId session_id) {
    return store::SigningRepository(database_of(practice)).sign(session_id);
}

Signature cosign_session(OpenPractice& practice, RowId session_id) {
    return store::SigningRepository(database_of(practice)).cosign(session_id);
}

Addendum add_addendum(OpenPractice& practice, RowId session_id, const std::string& text) {
    return store::SigningRepository(database_of(practice)).add_addendum(session_id, text);
}

ReviewComment add_comment(OpenPractice& practice, RowId session_id, double t, const std::string& text) {
    return store::ReviewCommentRepository(database_of(practice)).add(session_id, t, text);
}

std::vector<ReviewComment> list_comments(OpenPractice& practice, RowId session_id) {
    return store::ReviewCommentRepository(database_of(practice)).list(session_id);
}

bool is_signed(OpenPractice& practice, RowId session_id) {
    return store::SigningRepository(database_of(practice)).is_signed(session_id);
}

// [SECTION] Change-event candidates

CandidateDecisionRecord decide_change_event(OpenPractice& practice, RowId session_id,
                                            const std::string& candidate_key, CandidateDecision decision) {
    store::Database& db = database_of(practice);
    const auto s = store::SessionRepository(db).get(session_id);
    const auto c = s ? store::CaseRepository(db).get(s->case_id) : std::nullopt;
    if (!s || !c) throw Error(Error::Kind::NotFound, "the session no longer exists");
    auto process = detail::session_process(db, *c, {s->id}, store::load_metric_settings(db));
    for (const ChangeEventCandidate& candidate : process[s->id].change_events.candidates) {
        if (candidate.key() != candidate_key) continue;
        const std::string described = std::string(to_string(candidate.by)) + " " + candidate.antecedent_code + " at " +
                                      format_clock(candidate.antecedent_t) + " -> " +
                                      std::string(to_string(other_partner(candidate.by))) + " " +
                                      candidate.consequent_code + " at " + format_clock(candidate.consequent_t);
        return store::ChangeEventDecisionRepository(db).decide(s->id, candidate_key, decision, described);
    }
    throw Error(Error::Kind::NotFound, "session " + std::to_string(s->number) + " of " + c->label +
                                           " has no change-event candidate " + candidate_key);
}

// [SECTION] End-of-session ratings by a second rater

void rate_session(OpenPractice& practice, RowId session_id, RowId rater_id, const Ratings& ratings) {
    store::Database& db = database_of(practice);
    const auto s = store::SessionRepository(db).get(session_id);
    const auto c = s ? store::CaseRepository(db).get(s->case_id) : std::nullopt;
    const auto rater = store::PeopleRepository(db).get(rater_id);
    if (!s || !c) throw Error(Error::Kind::NotFound, "the session no longer exists");
    if (!rater) throw Error(Error::Kind::NotFound, "the rater is not a person of this practice");
    if (rater_id == c->clinician_id)
        throw Error(Error::Kind::Invalid, rater->name + " is the case clinician: their ratings are the session's own "
                                                        "(attune session end --attunement-a ...)");
    if (store::ObservationRepository(db).list_for_session(s->id, rater_id).empty())
        throw Error(Error::Kind::Invalid, rater->name + " has coded nothing in session " + std::to_string(s->number) +
                                              " of " + c->label + ": a second rater rates a session they coded");
    store::SessionRatingRepository(db).set(s->id, rater_id, ratings);
}

std::optional<Ratings> ratings_by(OpenPractice& practice, RowId session_id, RowId rater_id) {
    store::Database& db = database_of(practice);
    const auto s = store::SessionRepository(db).get(session_id);
    const auto c = s ? store::CaseRepository(db).get(s->case_id) : std::nullopt;
    if (!s || !c) throw Error(Error::Kind::NotFound, "the session no longer exists");
    if (rater_id == c->clinician_id) {
        const Ratings& own = s->ratings;
        if (!own.attunement_a && !own.attunement_b && !own.safety) return std::nullopt;
        return own;
    }
    return store::SessionRatingRepository(db).get(s->id, rater_id);
}

RatingAgreement ratings_agreement(OpenPractice& practice, RowId case_id, RowId rater_a, RowId rater_b) {
    store::Database& db = database_of(practice);
    const auto c = store::CaseRepository(db).get(case_id);
    if (!c) throw Error(Error::Kind::NotFound, "the case no longer exists");
    // Each rater's ratings by session: the session's own for the case clinician.
    auto ratings_of = [&](RowId rater) {
        std::map<RowId, Ratings> out;
        if (rater == c->clinician_id) {
            for (const Session& s : store::SessionRepository(db).list_for_case(case_id)) out[s.id] = s.ratings;
        } else {
            for (const auto& [session_id, r] : store::SessionRatingRepository(db).for_rater_in_case(case_id, rater))
                out[session_id] = r;
        }
        return out;
    };
    const std::map<RowId, Ratings> of_a = ratings_of(rater_a);
    const std::map<RowId, Ratings> of_b = ratings_of(rater_b);
    std::vector<std::pair<Ratings, Ratings>> both;
    for (const auto& [session_id, a] : of_a)
        if (const auto b = of_b.find(session_id); b != of_b.end()) both.emplace_back(a, b->second);
    return rating_agreement(both);
}

AgreementResult rater_agreement(const std::vector<Observation>& observations, RowId rater_a, RowId rater_b,
                                double tolerance_s) {
    std::vector<Observation> a;
    std::vector<Observation> b;
    for (const Observation& o : observations) {
        if (o.deleted) continue;
        if (o.rater_id == rater_a) a.push_back(o);
        else if (o.rater_id == rater_b) b.push_back(o);
    }
    return compute_agreement(a, b, tolerance_s);
}

AgreementResult rater_agreement(OpenPractice& practice, RowId session_id, RowId rater_a, RowId rater_b,
                                double tolerance_s) {
    return rater_agreement(store::ObservationRepository(database_of(practice)).list_for_session(session_id), rater_a,
                           rater_b, tolerance_s);
}

}  // namespace attune::services
