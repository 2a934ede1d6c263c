// trend_charts.h: the one specification of a case's trend charts, drawn by
// the trends view (ui/chart, ImGui) and the PDF summary (formats/export_pdf,
// cairo) alike, so that screen and paper show the same points.
//
// The x axis (one decision, for both): session i of the case in date order
// (then number) sits at x = i + 1, labelled "S<number>". Sessions are evenly
// spaced whatever their numbers (an imported or renumbered session never
// leaves a hole), and the order is the order in which they happened.
#pragma once

#include "core/case_metrics.h"
#include "core/chart_model.h"

#include <vector>

namespace attune {

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
std::vector<ChartSpec> case_trend_charts(const CaseMetrics& metrics);

// The x of the session at `index` in date order.
inline double session_x(std::size_t index) { return static_cast<double>(index + 1); }

}  // namespace attune
