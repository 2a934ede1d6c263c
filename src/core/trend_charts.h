// trend_charts.h: the one specification of a case's trend charts, drawn by
// the trends view (ui/chart, ImGui) and the PDF summary (formats/export_pdf,
// cairo) alike, so that screen and paper show the same points.
//
// The x axis (one decision, for both): the i-th counted session of the case
// in date order (then number) sits at x = i + 1, labelled "S<number>".
// Sessions are evenly spaced whatever their numbers (an imported or
// renumbered session never leaves a hole), and the order is the order in
// which they happened. Only sessions that count (core/counting.h) are
// charted: a running or 3-minute session is listed beside the charts with its
// reason, never drawn as a collapse of the repair rate.
//
// Colours come from core/palette.h: rupture bars by category, partners by
// partner. The two partners' rupture charts share one y scale, so that side
// by side a taller bar always means more ruptures.
#pragma once

#include "core/case_metrics.h"
#include "core/chart_model.h"

#include <vector>

namespace attune {

struct TrendChartOptions {
    // Gottman's 5 : 1 line on the repairs-per-rupture chart: off unless the
    // person turns it on (DOMAIN.md v2, "Positive-to-negative reference").
    bool show_five_to_one = false;
};

// The reference line's label wherever it appears: its source, not a norm of EFT.
inline constexpr const char* kFiveToOneLabel = "5 : 1 (Gottman, conflict discussions)";

// The charts in the order they are shown: repair rate, median time to repair,
// repairs per rupture, answered signals, ruptures of A, ruptures of B
// (stacked by category), pursue->withdraw sequences; with the process detail
// (metrics.has_process_detail) what follows an attachment signal (the other
// partner's next move within C: repair or rupture, a share of the signals)
// and the confirmed change events; clinician ratings; then one chart per
// instrument with a measure (metrics.measures.summaries' order).
//
// A measure chart is the one exception to the session axis: x = the position
// of the date among that instrument's dates + 1, labelled with the date; both
// partners on one plot, y fixed to the total's range, the cut-off as a
// reference line and the clinical range as a shaded y band.
std::vector<ChartSpec> case_trend_charts(const CaseMetrics& metrics, const TrendChartOptions& options = {});

// "Attunement to partner, Rosa": how a partner's attunement rating is named
// on charts, tooltips and in exports.
std::string attunement_label(const std::string& partner_name);

// The x of the session at `index` in date order.
inline double session_x(std::size_t index) { return static_cast<double>(index + 1); }

}  // namespace attune
