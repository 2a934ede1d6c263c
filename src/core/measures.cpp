// measures.cpp: see measures.h for the decisions DOMAIN.md leaves open.
//
// [SECTION] One administration
// [SECTION] Reliable change
// [SECTION] Per-case summary
// [SECTION] Not on track, version 2
#include "core/measures.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <stdexcept>

#include "core/dates.h"
#include "core/text.h"

namespace attune {
namespace {

// Totals are sums of scores with at most a couple of decimals; differences
// closer than this are equal (so 30.3 - 25.3 is exactly 5).
constexpr double kPointTolerance = 1e-9;
constexpr double kRciCritical = 1.96;

std::string decimals_rule(int decimals) {
    if (decimals == 0) return "whole numbers";
    return "at most " + std::to_string(decimals) + (decimals == 1 ? " decimal" : " decimals");
}

std::string show(double x) {
    return format_number(x, 6);
}

std::optional<std::string> score_error(const std::string& what, double x, double min, double max, int decimals) {
    if (!std::isfinite(x)) return what + " is not a number";
    if (x < min || x > max) return what + " is " + show(x) + "; it takes " + format_range(min, max);
    if (!has_decimals_at_most(x, decimals)) return what + " is " + show(x) + "; it takes " + decimals_rule(decimals);
    return std::nullopt;
}

}  // namespace

// [SECTION] One administration

std::optional<std::string> measure_error(const Measure& m, const Instrument& in) {
    if (m.instrument_id != in.id) return "the measure is for '" + m.instrument_id + "', not '" + in.id + "'";
    if (m.partner != Who::A && m.partner != Who::B) return std::string("the partner must be A or B");
    if (!is_iso_date(m.date)) return "the date '" + m.date + "' is not a date written yyyy-mm-dd";
    if (m.entered_total) {
        if (!m.items.empty()) return std::string("give the item scores or the total, not both");
        if (!in.direct_total)
            return in.name + " takes its " + std::to_string(in.item_count()) +
                   " item scores; a total cannot be entered directly";
        return score_error("the total", *m.entered_total, in.total_min, in.total_max, in.score_decimals);
    }
    if (m.items.size() != in.items.size())
        return in.name + " has " + std::to_string(in.item_count()) + " items; " + std::to_string(m.items.size()) +
               (m.items.size() == 1 ? " score was" : " scores were") + " given";
    bool any = false;
    for (size_t i = 0; i < m.items.size(); ++i) {
        if (!m.items[i]) continue;
        any = true;
        const InstrumentItem& item = in.items[i];
        if (auto error =
                score_error("item " + std::to_string(i + 1), *m.items[i], item.min, item.max, in.score_decimals))
            return error;
    }
    if (!any) return std::string("no item score was given");
    return std::nullopt;
}

std::vector<std::optional<double>> parse_item_scores(std::string_view text) {
    if (trim(text).empty()) throw std::invalid_argument("no item scores were given");
    std::vector<std::optional<double>> scores;
    const std::vector<std::string> parts = split(text, ',');
    for (size_t i = 0; i < parts.size(); ++i) {
        const std::string part = trim(parts[i]);
        if (part.empty() || part == "-") {
            scores.emplace_back(std::nullopt);
            continue;
        }
        double value = 0;
        const char* end = part.data() + part.size();
        const auto [stop, error] = std::from_chars(part.data(), end, value);
        if (error != std::errc() || stop != end || !std::isfinite(value))
            throw std::invalid_argument("item " + std::to_string(i + 1) + " is '" + part + "', not a number");
        scores.emplace_back(value);
    }
    return scores;
}

std::optional<double> measure_total(const Measure& m) {
    if (m.entered_total) return m.entered_total;
    if (m.items.empty()) return std::nullopt;
    double total = 0;
    for (const std::optional<double>& score : m.items) {
        if (!score) return std::nullopt;  // no pro-rating
        total += *score;
    }
    return total;
}

std::optional<bool> is_clinical(double total, const Instrument& in) {
    if (!in.clinical_cutoff) return std::nullopt;
    // Exactly at the cut-off is not clinical: the range is strictly below (above) it.
    return in.higher_is_better ? total < *in.clinical_cutoff : total > *in.clinical_cutoff;
}

std::optional<bool> alliance_flag(const Measure& m, const Instrument& in) {
    if (!in.alliance_flag_below) return std::nullopt;
    const std::optional<double> total = measure_total(m);
    if (!total) return std::nullopt;
    return *total < *in.alliance_flag_below;
}

// [SECTION] Reliable change

std::string_view to_string(ReliableChange change) {
    switch (change) {
        case ReliableChange::Improved:
            return "improved";
        case ReliableChange::Deteriorated:
            return "deteriorated";
        case ReliableChange::None:
            return "none";
        case ReliableChange::NotDefined:
            return "not defined";
    }
    return "not defined";
}

ReliableChangeResult reliable_change(double first, double latest, const Instrument& in) {
    ReliableChangeResult result;
    const double difference = latest - first;
    bool reliable = false;
    switch (in.reliable_change.kind) {
        case ReliableChangeRule::Kind::NotDefined:
            return result;
        case ReliableChangeRule::Kind::Threshold:
            reliable = std::abs(difference) >= in.reliable_change.threshold_points - kPointTolerance;
            break;
        case ReliableChangeRule::Kind::Rci: {
            const double standard_error = in.reliable_change.sd * std::sqrt(2 * (1 - in.reliable_change.reliability));
            result.rci = difference / standard_error;
            reliable = std::abs(*result.rci) > kRciCritical + kPointTolerance;
            break;
        }
    }
    if (!reliable)
        result.change = ReliableChange::None;
    else
        result.change =
            (difference > 0) == in.higher_is_better ? ReliableChange::Improved : ReliableChange::Deteriorated;
    return result;
}

// [SECTION] Per-case summary

std::vector<Measure> in_date_order(std::vector<Measure> measures) {
    std::stable_sort(measures.begin(), measures.end(), [](const Measure& x, const Measure& y) {
        if (x.date != y.date) return x.date < y.date;  // yyyy-mm-dd sorts as text
        return x.id < y.id;
    });
    return measures;
}

namespace {

std::optional<PartnerMeasureSummary> summarize_partner(const std::vector<const Measure*>& in_order,
                                                       const Instrument& in) {
    std::optional<PartnerMeasureSummary> out;
    for (const Measure* m : in_order) {
        const std::optional<double> total = measure_total(*m);
        if (!total) continue;  // a missing item: this administration has no total
        if (!out) {
            out.emplace();
            out->first = *total;
            out->first_date = m->date;
        }
        ++out->measures_with_total;
        out->latest = *total;
        out->latest_date = m->date;
    }
    if (!out) return out;
    out->change = out->latest - out->first;
    out->reliable_change = reliable_change(out->first, out->latest, in);
    out->first_clinical = is_clinical(out->first, in);
    out->clinical = is_clinical(out->latest, in);
    out->recovered = out->reliable_change.change == ReliableChange::Improved && out->first_clinical == true &&
                     out->clinical == false;
    return out;
}

}  // namespace

std::vector<InstrumentSummary> summarize_measures(const std::vector<Measure>& measures,
                                                  const InstrumentCatalog& catalog) {
    const std::vector<Measure> ordered = in_date_order(measures);
    std::vector<InstrumentSummary> out;
    for (const Instrument& in : catalog.all()) {
        std::vector<const Measure*> of_a;
        std::vector<const Measure*> of_b;
        for (const Measure& m : ordered) {
            if (m.instrument_id != in.id || measure_error(m, in)) continue;
            (m.partner == Who::A ? of_a : of_b).push_back(&m);
        }
        InstrumentSummary summary{in.id, in.name, in.higher_is_better, summarize_partner(of_a, in),
                                  summarize_partner(of_b, in)};
        if (summary.a || summary.b) out.push_back(std::move(summary));
    }
    return out;
}

// [SECTION] Not on track, version 2

NotOnTrack not_on_track_v2(const CaseTrends& trends, const std::vector<InstrumentSummary>& measures) {
    NotOnTrack result;
    result.process_rule = trends.not_on_track;
    for (const InstrumentSummary& summary : measures)
        for (const auto& [partner, side] : {std::pair{Who::A, &summary.a}, std::pair{Who::B, &summary.b}})
            if (*side && (*side)->reliable_change.change == ReliableChange::Deteriorated)
                result.deteriorations.push_back({summary.instrument_id, summary.instrument_name, partner,
                                                 (*side)->first, (*side)->latest, (*side)->first_date,
                                                 (*side)->latest_date});
    result.flagged = result.process_rule || !result.deteriorations.empty();
    if (!result.flagged) return result;

    std::string reason;
    if (result.process_rule) reason = "Coded process: " + trends.not_on_track_reason;
    if (!result.deteriorations.empty()) {
        if (!reason.empty()) reason += " ";
        reason += "Couple-reported measures:";
        for (const MeasureDeterioration& d : result.deteriorations) {
            const bool rose = d.latest > d.first;
            reason += std::string(" partner ") + (d.partner == Who::A ? "A" : "B") + "'s " + d.instrument_name +
                      " total " + (rose ? "rose" : "fell") + " reliably from " + format_number(d.first) + " to " +
                      format_number(d.latest) + " (" + d.first_date + " to " + d.latest_date +
                      (rose ? "; lower is better)." : ").");
        }
    }
    result.reason = reason;
    return result;
}

}  // namespace attune
