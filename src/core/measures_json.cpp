#include "core/measures_json.h"

namespace attune {
namespace {

using nlohmann::json;

json optional_json(const std::optional<double>& value) {
    return value ? json(*value) : json(nullptr);
}
json optional_json(const std::optional<bool>& value) {
    return value ? json(*value) : json(nullptr);
}

json partner_json(const std::optional<PartnerMeasureSummary>& summary) {
    if (!summary) return nullptr;
    const ReliableChange change = summary->reliable_change.change;
    return {{"first", summary->first},
            {"latest", summary->latest},
            {"change", summary->change},
            {"reliable_change", change == ReliableChange::NotDefined ? json(nullptr) : json(to_string(change))},
            {"clinical", optional_json(summary->clinical)},
            {"recovered", summary->recovered}};
}

}  // namespace

json measures_json(const std::vector<InstrumentSummary>& summaries) {
    json out = json::object();
    for (const InstrumentSummary& summary : summaries)
        out[summary.instrument_id] = {{"A", partner_json(summary.a)}, {"B", partner_json(summary.b)}};
    return out;
}

json measure_json(const Measure& measure, const Instrument* instrument) {
    json items = json::array();
    for (const std::optional<double>& score : measure.items)
        items.push_back(optional_json(score));
    const std::optional<double> total = measure_total(measure);
    std::optional<bool> clinical;
    std::optional<bool> flag;
    if (instrument && total) {
        clinical = is_clinical(*total, *instrument);
        flag = alliance_flag(measure, *instrument);
    }
    return {{"instrument", measure.instrument_id},
            {"partner", std::string(to_string(measure.partner))},
            {"date", measure.date},
            {"session", measure.session_number ? json(*measure.session_number) : json(nullptr)},
            {"items", items},
            {"total", optional_json(total)},
            {"total_entered", measure.entered_total.has_value()},
            {"clinical", optional_json(clinical)},
            {"alliance_flag", optional_json(flag)}};
}

}  // namespace attune
