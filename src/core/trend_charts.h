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
// (stacked by category), pursue->withdraw sequences, clinician ratings.
std::vector<ChartSpec> case_trend_charts(const CaseMetrics& metrics);

// The x of the session at `index` in date order.
inline double session_x(std::size_t index) { return static_cast<double>(index + 1); }

}  // namespace attune
