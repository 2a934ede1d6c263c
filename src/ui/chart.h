// chart.h: charts and sparklines drawn with ImDrawList.
//
// All layout and maths come from core/chart_model, which the PDF export shares;
// this file only turns a ChartLayout into draw calls and mouse input into
// events. Colours come from core/palette, text colours from the ImGui style so
// that light and dark themes both work.
#pragma once

#include <imgui.h>

#include <cstddef>
#include <optional>
#include <vector>

#include "core/chart_model.h"

namespace attune::ui {

// What the user did to a chart this frame.
struct ChartEvents {
    std::optional<PointRef> hovered;            // the point whose tooltip is showing
    std::optional<PointRef> clicked;            // a point clicked (released over it)
    std::optional<std::size_t> toggled_series;  // legend entry clicked; visibility already flipped
};

// Draws `spec` in a `size` box at the cursor and advances the layout like any
// widget; size.x <= 0 takes the available width, size.y <= 0 a default height.
// Clicking a legend entry flips spec.series[i].visible. Returns true when a
// data point was clicked; `events->clicked` then says which, so a view can open
// spec.series[s].x[i] (e.g. that session).
bool draw_chart(const char* id, ChartSpec& spec, ImVec2 size, ChartEvents* events = nullptr);

// A bare line for a table cell: no axes, no text, gaps break the line, the last
// value gets a dot. The range is [lo, hi] when given, else the data's own.
// size.x <= 0 takes the available width, size.y <= 0 one text line.
void draw_sparkline(const std::vector<std::optional<double>>& values, ImVec2 size, Rgba color,
                    std::optional<double> lo = std::nullopt, std::optional<double> hi = std::nullopt);

ImU32 to_imgui_color(Rgba color);

}  // namespace attune::ui
