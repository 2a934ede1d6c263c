#include "core/case_metrics.h"

namespace attune {

const Instrument* CaseMeasures::find(std::string_view id) const {
    for (const Instrument& instrument : instruments)
        if (instrument.id == id) return &instrument;
    return nullptr;
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
