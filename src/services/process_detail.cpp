#include "services/process_detail.h"

#include "store/measure_repositories.h"
#include "store/repositories.h"

namespace attune::services::detail {

std::map<RowId, SessionProcess> session_process(store::Database& db, const Case& c, const std::set<RowId>& wanted,
                                                const MetricSettings& settings) {
    std::map<RowId, SessionProcess> out;
    if (wanted.empty()) return out;
    store::ObservationRepository observations(db);
    store::SchemeRepository schemes(db);
    store::ChangeEventDecisionRepository decisions(db);
    CycleRoles so_far;
    std::size_t left = wanted.size();
    for (const Session& s : store::SessionRepository(db).list_for_case(c.id)) {
        const CodingScheme scheme = schemes.get(s.scheme_id);
        const std::vector<Observation> layer = observations.list_for_session(s.id, c.clinician_id);
        so_far = combine_cycle_roles(so_far, find_cycle_roles(layer, scheme));
        if (!wanted.count(s.id)) continue;
        SessionProcess& process = out[s.id];
        process.sequences = compute_sequences(layer, scheme, settings);
        process.change_events = detect_change_events(layer, scheme, so_far, settings);
        process.decisions = decisions.for_session(s.id);
        process.confirmed = confirmed_change_events(process.change_events, process.decisions);
        if (--left == 0) break;  // later sessions cannot change these roles
    }
    return out;
}

void add_process_detail(store::Database& db, CaseMetrics& metrics) {
    std::set<RowId> wanted;
    for (const SessionWithMetrics& s : metrics.sessions)
        wanted.insert(s.session.id);
    std::map<RowId, SessionProcess> detail = session_process(db, metrics.info, wanted, metrics.settings);
    std::vector<SequenceAnalysis> sessions;
    for (SessionWithMetrics& s : metrics.sessions) {
        SessionProcess& process = detail[s.session.id];
        s.sequences = std::move(process.sequences);
        s.change_events = std::move(process.change_events);
        s.decisions = std::move(process.decisions);
        s.confirmed = process.confirmed;
        sessions.push_back(s.sequences);
    }
    metrics.pooled_sequences = pool_sequences(sessions);
    metrics.has_process_detail = true;
}

}  // namespace attune::services::detail
