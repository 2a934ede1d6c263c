#include "io/case_metrics.h"

#include "store/repositories.h"

namespace attune::io {

MetricSettings load_metric_settings(store::Database&) { return MetricSettings{}; }

CaseMetrics compute_case_metrics(store::Database& db, RowId case_id, const MetricSettings& settings,
                                 const std::string& from, const std::string& to) {
    CaseMetrics out;
    auto c = store::CaseRepository(db).get(case_id);
    if (!c) throw store::StoreError(store::StoreError::Kind::NotFound, "the case no longer exists");
    out.info = *c;
    out.settings = settings;
    store::ObservationRepository observations(db);
    store::SchemeRepository schemes(db);
    std::vector<SessionMetrics> series;
    for (const Session& s : store::SessionRepository(db).list_for_case(case_id)) {
        if (!from.empty() && s.date < from) continue;
        if (!to.empty() && s.date > to) continue;
        const CodingScheme scheme = schemes.get(s.scheme_id);
        SessionWithMetrics row{s, compute_session_metrics(observations.list_for_session(s.id, c->clinician_id),
                                                          scheme, s.active_seconds, settings)};
        series.push_back(row.metrics);
        out.sessions.push_back(std::move(row));
    }
    out.trends = compute_trends(series);
    return out;
}

}  // namespace attune::io
