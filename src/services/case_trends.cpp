#include "services/case_trends.h"

#include "core/metrics_json.h"
#include "services/measures_internal.h"
#include "services/access.h"
#include "services/metrics_internal.h"
#include "services/process_detail.h"
#include "services/practice_access.h"
#include "store/metrics_cache.h"
#include "store/repositories.h"
#include "store/signing.h"

namespace attune::services {
namespace detail {

SessionMetrics compute_session_detail(store::Database& db, const Session& session, RowId rater_id,
                                      const MetricSettings& settings) {
    const CodingScheme scheme = store::SchemeRepository(db).get(session.scheme_id);
    return compute_session_metrics(store::ObservationRepository(db).list_for_session(session.id, rater_id), scheme,
                                   session.active_seconds, settings);
}

CaseMetrics compute_case_metrics(store::Database& db, RowId case_id, const MetricSettings& settings,
                                 const std::string& from, const std::string& to) {
    db.end_open_reads();  // see the rows the caseload worker has cached since
    auto c = store::CaseRepository(db).get(case_id);
    if (!c) throw Error(Error::Kind::NotFound, "the case no longer exists");
    store::MetricsCache cache(db);
    const std::string settings_json = metrics_cache_key(settings);
    std::vector<store::MetricsCache::Entry> computed;
    std::vector<std::pair<Session, SessionMetrics>> sessions;
    for (const Session& s : store::SessionRepository(db).list_for_case(case_id)) {
        if (!from.empty() && s.date < from) continue;
        if (!to.empty() && s.date > to) continue;
        std::optional<SessionMetrics> metrics;
        // A running session's clock moves on without a write: never cache it.
        const bool cacheable = s.state == SessionState::Ended;
        if (cacheable)
            if (auto text = cache.read(s.id, settings_json)) metrics = session_metrics_from_cache_text(*text);
        if (!metrics) {
            metrics = compute_session_detail(db, s, c->clinician_id, settings);
            // The cache holds summaries only; return the same shape either way.
            metrics->rupture_links.clear();
            metrics->signal_links.clear();
            metrics->pursue_withdraw_pairs.clear();
            if (cacheable) computed.push_back({s.id, to_cache_text(*metrics)});
        }
        sessions.emplace_back(s, std::move(*metrics));
    }
    cache.write_many(computed, settings_json);
    // Which sessions count, their rates and the trends: one pure rule (core/case_metrics.h).
    CaseMetrics out = assemble_case_metrics(*c, settings, std::move(sessions));
    out.measures = load_case_measures(db, case_id, from, to);
    return out;
}

DashboardRow case_dashboard_row(store::Database& db, RowId case_id, const MetricSettings& settings,
                                const std::string& today) {
    const CaseMetrics metrics = compute_case_metrics(db, case_id, settings);
    const store::SigningRepository signing(db);
    std::vector<SessionMetrics> series;
    std::vector<Session> sessions;
    std::vector<bool> note_signed;
    for (const SessionWithMetrics& s : metrics.sessions) {
        series.push_back(s.metrics);
        sessions.push_back(s.session);
        note_signed.push_back(signing.is_signed(s.session.id));
    }
    DashboardRow row = summarize_case(series, sessions, note_signed, today);
    apply_not_on_track(row, metrics.not_on_track());  // version 2: the measures count too
    return row;
}

}  // namespace detail

// [SECTION] The public use cases

DashboardRow case_dashboard_row(OpenPractice& practice, RowId case_id, const std::string& today) {
    store::Database& db = database_of(practice);
    // The same people as the case's trends: not a coder, not a case the person may not see.
    const auto c = store::CaseRepository(db).get(case_id);
    if (!c) throw Error(Error::Kind::NotFound, "the case no longer exists");
    require_access(practice, *c, CaseAccess::Reader);
    return detail::case_dashboard_row(db, case_id, store::load_metric_settings(db), today);
}

SessionCounting session_counting(OpenPractice& practice, const Session& session) {
    return attune::session_counting(session, store::load_metric_settings(database_of(practice)));
}

CaseMetrics case_metrics(OpenPractice& practice, RowId case_id, const std::string& from, const std::string& to) {
    store::Database& db = database_of(practice);
    // Trends are of every session: not for a case the person may not see,
    // nor for a coder, who sees only the sessions assigned to them.
    const auto c = store::CaseRepository(db).get(case_id);
    if (!c) throw Error(Error::Kind::NotFound, "the case no longer exists");
    require_access(practice, *c, CaseAccess::Coder);
    if (case_access(practice, *c) == CaseAccess::Coder)
        throw Error(Error::Kind::Denied, practice.person().name + " sees only the sessions of " + c->label +
                                             " assigned to them for coding, not the case's trends");
    CaseMetrics metrics = detail::compute_case_metrics(db, case_id, store::load_metric_settings(db), from, to);
    detail::add_process_detail(db, metrics);
    return metrics;
}

SessionMetrics session_detail_metrics(OpenPractice& practice, const Session& session, RowId rater_id) {
    store::Database& db = database_of(practice);
    const auto stored = store::SessionRepository(db).get(session.id);
    const auto c = stored ? store::CaseRepository(db).get(stored->case_id) : std::nullopt;
    if (!c || !may_see_session(practice, *c, session.id)) throw Error(Error::Kind::NotFound, "no such session");
    return detail::compute_session_detail(db, session, rater_id, store::load_metric_settings(db));
}

}  // namespace attune::services
