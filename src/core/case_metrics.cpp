#include "core/case_metrics.h"

namespace attune {

const Instrument* CaseMeasures::find(std::string_view id) const {
    for (const Instrument& instrument : instruments)
        if (instrument.id == id) return &instrument;
    return nullptr;
}

std::vector<const SessionWithMetrics*> CaseMetrics::counted() const {
    std::vector<const SessionWithMetrics*> out;
    for (const SessionWithMetrics& s : sessions)
        if (s.counting.counts) out.push_back(&s);
    return out;
}

CaseMetrics assemble_case_metrics(Case info, const MetricSettings& settings,
                                  std::vector<std::pair<Session, SessionMetrics>> sessions) {
    CaseMetrics out;
    out.info = std::move(info);
    out.settings = settings;
    std::vector<SessionMetrics> counted;
    for (auto& [session, metrics] : sessions) {
        SessionWithMetrics row;
        row.counting = session_counting(session, settings);
        metrics.settings = settings;
        row.metrics = row.counting.counts ? std::move(metrics) : counts_only(std::move(metrics));
        row.session = std::move(session);
        if (row.counting.counts) counted.push_back(row.metrics);
        out.sessions.push_back(std::move(row));
    }
    out.trends = compute_trends(counted);
    return out;
}

ConfirmedChangeEvents confirmed_total(const CaseMetrics& metrics) {
    ConfirmedChangeEvents total;
    for (const SessionWithMetrics& s : metrics.sessions) {
        total.withdrawer_reengagement += s.confirmed.withdrawer_reengagement;
        total.blamer_softening += s.confirmed.blamer_softening;
    }
    return total;
}

}  // namespace attune
