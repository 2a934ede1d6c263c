#include "services/supervision.h"

#include <algorithm>
#include <set>

#include "services/metrics_internal.h"
#include "services/practice_access.h"
#include "store/metrics_cache.h"
#include "store/repositories.h"
#include "store/signing.h"

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
    const bool clinician_coded =
        std::any_of(record.observations.begin(), record.observations.end(),
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

namespace {

// The two raters' observations, deleted ones left out.
std::pair<std::vector<Observation>, std::vector<Observation>> layers_of(const std::vector<Observation>& observations,
                                                                        RowId rater_a, RowId rater_b) {
    std::pair<std::vector<Observation>, std::vector<Observation>> out;
    for (const Observation& o : observations) {
        if (o.deleted) continue;
        if (o.rater_id == rater_a)
            out.first.push_back(o);
        else if (o.rater_id == rater_b)
            out.second.push_back(o);
    }
    return out;
}

}  // namespace

AgreementResult rater_agreement(const std::vector<Observation>& observations, RowId rater_a, RowId rater_b,
                                double tolerance_s) {
    const auto [a, b] = layers_of(observations, rater_a, rater_b);
    return compute_agreement(a, b, tolerance_s);
}

TimeSliceAgreement rater_time_slice_agreement(const std::vector<Observation>& observations, RowId rater_a,
                                              RowId rater_b, double slice_s) {
    const auto [a, b] = layers_of(observations, rater_a, rater_b);
    return compute_time_slice_agreement(a, b, slice_s);
}

TimeSliceAgreement rater_time_slice_agreement(OpenPractice& practice, RowId session_id, RowId rater_a, RowId rater_b,
                                              double slice_s) {
    return rater_time_slice_agreement(store::ObservationRepository(database_of(practice)).list_for_session(session_id),
                                      rater_a, rater_b, slice_s);
}

AgreementResult rater_agreement(OpenPractice& practice, RowId session_id, RowId rater_a, RowId rater_b,
                                double tolerance_s) {
    return rater_agreement(store::ObservationRepository(database_of(practice)).list_for_session(session_id), rater_a,
                           rater_b, tolerance_s);
}

}  // namespace attune::services
