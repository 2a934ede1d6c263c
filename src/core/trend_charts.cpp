#include "core/trend_charts.h"

#include <algorithm>
#include <cctype>

#include "core/text.h"

namespace attune {
namespace {

class ChartBuilder {
public:
    explicit ChartBuilder(const CaseMetrics& metrics) : m_(metrics), sessions_(metrics.counted()) {}

    ChartSpec base(const std::string& title, const std::string& y_label) const {
        ChartSpec spec;
        spec.title = title;
        spec.x_label = "Session";
        spec.y_label = y_label;
        for (std::size_t i = 0; i < sessions_.size(); ++i)
            spec.x_ticks.push_back({session_x(i), "S" + std::to_string(sessions_[i]->session.number)});
        // Consecutive charted sessions of one EFT stage share a band.
        for (std::size_t i = 0; i < sessions_.size();) {
            std::size_t j = i;
            while (j + 1 < sessions_.size() && sessions_[j + 1]->session.eft_stage == sessions_[i]->session.eft_stage)
                ++j;
            if (const auto stage = sessions_[i]->session.eft_stage)
                spec.bands.push_back({session_x(i) - 0.5, session_x(j) + 0.5, "Stage " + std::to_string(*stage),
                                      palette::stage_band(*stage)});
            i = j + 1;
        }
        return spec;
    }

    template <typename F>
    Series series(const std::string& name, Rgba color, F value_of, SeriesStyle style = SeriesStyle::LineWithMarkers) const {
        Series s;
        s.name = name;
        s.color = color;
        s.style = style;
        for (std::size_t i = 0; i < sessions_.size(); ++i) {
            s.x.push_back(session_x(i));
            s.y.push_back(value_of(*sessions_[i]));
        }
        return s;
    }

    // Ruptures per 10 minutes of one partner, stacked by category.
    ChartSpec ruptures_of(bool partner_a) const {
        const std::string& who = partner_a ? m_.info.partner_a.display_name : m_.info.partner_b.display_name;
        ChartSpec spec = base("Ruptures of " + who + " (" + (partner_a ? "A" : "B") + ") per 10 min", "per 10 min");
        spec.y_min = 0;
        for (const std::string& category : rupture_categories()) {
            std::string label = category;
            if (!label.empty()) label[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(label[0])));
            std::replace(label.begin(), label.end(), '_', ' ');
            spec.series.push_back(series(
                label, palette::category_color(category),
                [&](const SessionWithMetrics& s) { return rate_of(s, partner_a, category); },
                SeriesStyle::StackedBars));
        }
        return spec;
    }

    // The highest stack of either partner: the shared top of both rupture charts.
    double highest_rupture_stack() const {
        double highest = 0;
        for (const SessionWithMetrics* s : sessions_)
            for (bool partner_a : {true, false}) {
                double stack = 0;
                for (const std::string& category : rupture_categories())
                    stack += rate_of(*s, partner_a, category).value_or(0.0);
                highest = std::max(highest, stack);
            }
        return highest;
    }

private:
    // Every rupture category seen for either partner, in first-seen order, so
    // that both partners' charts list (and colour) the same categories.
    std::vector<std::string> rupture_categories() const {
        std::vector<std::string> categories;
        for (const SessionWithMetrics* s : sessions_)
            for (const RuptureCounts* counts : {&s->metrics.ruptures_a, &s->metrics.ruptures_b})
                for (const auto& [category, count] : counts->by_category)
                    if (std::find(categories.begin(), categories.end(), category) == categories.end())
                        categories.push_back(category);
        return categories;
    }

    static std::optional<double> rate_of(const SessionWithMetrics& s, bool partner_a, const std::string& category) {
        const auto& counts = (partner_a ? s.metrics.ruptures_a : s.metrics.ruptures_b).by_category;
        const auto it = counts.find(category);
        const double n = it == counts.end() ? 0 : it->second;
        if (s.metrics.active_minutes <= 0) return std::nullopt;
        return 10.0 * n / s.metrics.active_minutes;
    }

    const CaseMetrics& m_;
    std::vector<const SessionWithMetrics*> sessions_;  // the counted ones, in date order
};

std::optional<double> rating(std::optional<int> v) { return v ? std::optional<double>(*v) : std::nullopt; }

// [SECTION] Version 2: sequences, change events, measures

// What the other partner did next (within C) after a session's attachment
// signals, both directions: every category of signal polarity summed.
ConsequentMix signal_mix(const SessionWithMetrics& s) {
    ConsequentMix total;
    for (const auto& [category, polarity] : s.sequences.polarity_of) {
        if (polarity != Polarity::Signal) continue;
        const ConsequentMix one = consequent_mix(s.sequences, category);
        total.antecedents += one.antecedents;
        total.repair += one.repair;
        total.rupture += one.rupture;
        total.signal += one.signal;
        total.none += one.none;
    }
    return total;
}

std::string partner_label(const Case& c, Who who) {
    const Participant& p = who == Who::A ? c.partner_a : c.partner_b;
    const std::string letter = who == Who::A ? "A" : "B";
    return p.display_name.empty() ? "Partner " + letter : p.display_name + " (" + letter + ")";
}

// One instrument's totals, both partners on one plot. x = the position of the
// administration's date among the instrument's distinct dates + 1, labelled
// with the date (evenly spaced, as sessions are on the other charts).
ChartSpec measure_chart(const CaseMetrics& m, const Instrument& in) {
    ChartSpec spec;
    spec.title = in.name + (in.validated ? "" : " - not a validated instrument");
    spec.x_label = "Date";
    spec.y_label = "total";
    spec.y_min = in.total_min;
    spec.y_max = in.total_max;
    std::vector<std::string> dates;
    for (const Measure& measure : m.measures.administrations)
        if (measure.instrument_id == in.id && measure_total(measure) &&
            std::find(dates.begin(), dates.end(), measure.date) == dates.end())
            dates.push_back(measure.date);  // administrations are in date order already
    for (std::size_t i = 0; i < dates.size(); ++i) spec.x_ticks.push_back({static_cast<double>(i + 1), dates[i]});
    for (const Who who : {Who::A, Who::B}) {
        Series series;
        series.name = partner_label(m.info, who);
        series.color = who == Who::A ? palette::partner_a : palette::partner_b;
        series.style = SeriesStyle::LineWithMarkers;
        for (const Measure& measure : m.measures.administrations) {
            if (measure.instrument_id != in.id || measure.partner != who || measure_error(measure, in)) continue;
            const std::optional<double> total = measure_total(measure);
            if (!total) continue;  // a missing item: no total to show
            const auto at = std::find(dates.begin(), dates.end(), measure.date) - dates.begin();
            series.x.push_back(static_cast<double>(at + 1));
            series.y.push_back(total);
        }
        if (!series.x.empty()) spec.series.push_back(std::move(series));
    }
    if (in.clinical_cutoff) {
        const double cutoff = *in.clinical_cutoff;
        spec.reference_lines.push_back({cutoff, "cut-off " + format_number(cutoff), palette::reference});
        spec.y_bands.push_back(in.higher_is_better ? YBand{in.total_min, cutoff, "clinical range", palette::clinical_band}
                                                   : YBand{cutoff, in.total_max, "clinical range", palette::clinical_band});
    }
    if (in.alliance_flag_below)
        spec.reference_lines.push_back(
            {*in.alliance_flag_below, "below " + format_number(*in.alliance_flag_below) + ": talk about the alliance",
             palette::reference});
    return spec;
}

}  // namespace

std::string attunement_label(const std::string& partner_name) {
    return "Attunement to partner, " + partner_name;
}

std::vector<ChartSpec> case_trend_charts(const CaseMetrics& metrics, const TrendChartOptions& options) {
    using SWM = SessionWithMetrics;
    const ChartBuilder b(metrics);
    const std::string& a_name = metrics.info.partner_a.display_name;
    const std::string& b_name = metrics.info.partner_b.display_name;
    std::vector<ChartSpec> charts;
    {
        ChartSpec spec = b.base("Repair rate (ruptures repaired)", "% repaired");
        spec.y_percent = true;
        spec.y_min = 0;
        spec.y_max = 1;
        spec.series.push_back(b.series("Repair rate", palette::repair, [](const SWM& s) { return s.metrics.repair_rate; }));
        charts.push_back(std::move(spec));
    }
    {
        ChartSpec spec = b.base("Median time to repair", "seconds");
        spec.y_min = 0;
        spec.series.push_back(b.series("Median time to repair", palette::repair,
                                       [](const SWM& s) { return s.metrics.median_time_to_repair_s; }));
        charts.push_back(std::move(spec));
    }
    {
        ChartSpec spec = b.base("Repairs per rupture (positive : negative)", "ratio");
        spec.y_min = 0;
        if (options.show_five_to_one) spec.reference_lines.push_back({5.0, kFiveToOneLabel, palette::reference});
        spec.series.push_back(
            b.series("Repairs / ruptures", palette::repair, [](const SWM& s) { return s.metrics.pos_neg_ratio; }));
        charts.push_back(std::move(spec));
    }
    {
        ChartSpec spec = b.base("Answered attachment signals", "% answered");
        spec.y_percent = true;
        spec.y_min = 0;
        spec.y_max = 1;
        spec.series.push_back(
            b.series("Answer rate", palette::attachment, [](const SWM& s) { return s.metrics.answer_rate; }));
        charts.push_back(std::move(spec));
    }
    {
        ChartSpec of_a = b.ruptures_of(true);
        ChartSpec of_b = b.ruptures_of(false);
        // One y scale for both, rounded up to a tick as an axis of its own would be.
        if (const double highest = b.highest_rupture_stack(); highest > 0) {
            const double top = nice_range(0.0, highest, 5).hi;
            of_a.y_max = top;
            of_b.y_max = top;
        }
        charts.push_back(std::move(of_a));
        charts.push_back(std::move(of_b));
    }
    {
        ChartSpec spec = b.base("Pursue -> withdraw sequences", "count");
        spec.y_min = 0;
        spec.series.push_back(b.series(a_name + " pursues, " + b_name + " withdraws", palette::partner_a,
                                       [](const SWM& s) { return std::optional<double>(s.metrics.pursue_withdraw_a_to_b); },
                                       SeriesStyle::Bars));
        spec.series.push_back(b.series(b_name + " pursues, " + a_name + " withdraws", palette::partner_b,
                                       [](const SWM& s) { return std::optional<double>(s.metrics.pursue_withdraw_b_to_a); },
                                       SeriesStyle::Bars));
        charts.push_back(std::move(spec));
    }
    if (metrics.has_process_detail) {
        // The pursue->withdraw chart's context: does a signal meet a repair or a rupture?
        ChartSpec spec = b.base("After an attachment signal (next move)", "% of signals");
        spec.y_percent = true;
        spec.y_min = 0;
        spec.y_max = 1;
        spec.series.push_back(b.series("Signal -> repair", palette::repair,
                                       [](const SWM& s) { return signal_mix(s).repair_share(); }));
        spec.series.push_back(b.series("Signal -> rupture", palette::rupture,
                                       [](const SWM& s) { return signal_mix(s).rupture_share(); }));
        charts.push_back(std::move(spec));
    }
    if (metrics.has_process_detail) {
        ChartSpec spec = b.base("Change events (confirmed by the therapist)", "count");
        spec.y_min = 0;
        spec.series.push_back(b.series(
            "Withdrawer re-engagement", palette::bluish_green,
            [](const SWM& s) { return std::optional<double>(s.confirmed.withdrawer_reengagement); },
            SeriesStyle::Bars));
        spec.series.push_back(b.series(
            "Blamer softening", palette::sky_blue,
            [](const SWM& s) { return std::optional<double>(s.confirmed.blamer_softening); }, SeriesStyle::Bars));
        charts.push_back(std::move(spec));
    }
    {
        ChartSpec spec = b.base("Clinician ratings (end of session)", "0-10");
        spec.y_min = 0;
        spec.y_max = 10;
        spec.series.push_back(b.series(attunement_label(a_name), palette::partner_a,
                                       [](const SWM& s) { return rating(s.session.ratings.attunement_a); }));
        spec.series.push_back(b.series(attunement_label(b_name), palette::partner_b,
                                       [](const SWM& s) { return rating(s.session.ratings.attunement_b); }));
        spec.series.push_back(
            b.series("Safety", palette::safety, [](const SWM& s) { return rating(s.session.ratings.safety); }));
        charts.push_back(std::move(spec));
    }
    for (const InstrumentSummary& summary : metrics.measures.summaries)
        if (const Instrument* in = metrics.measures.find(summary.instrument_id))
            charts.push_back(measure_chart(metrics, *in));
    return charts;
}

}  // namespace attune
