// chart_model.h: what a chart shows and where everything goes, without drawing.
//
// Both chart renderers, ui/chart (ImGui) and the PDF export (cairo), take a
// ChartSpec, call layout_chart() with their own text measurement, and then only
// draw what the ChartLayout says. Keeping the maths here means a chart looks the
// same on screen and on paper, and that it can be tested without a window.
//
// Conventions: data coordinates are doubles, y grows upward. Pixel coordinates
// are doubles too (cairo's unit), origin top-left, y grows downward. Every
// series' x values must be ascending: picking and decimation binary-search them.
#pragma once

#include "core/palette.h"

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace attune {

// [SECTION] The spec: what to show

enum class SeriesStyle { Line, LineWithMarkers, Bars, StackedBars, Points };
bool is_bar_style(SeriesStyle style);  // Bars or StackedBars

struct Series {
    std::string name;                      // legend and tooltip text
    std::vector<double> x;                 // ascending
    std::vector<std::optional<double>> y;  // same length as x; no value = a gap
    Rgba color = palette::blue;
    SeriesStyle style = SeriesStyle::Line;
    bool visible = true;  // toggled from the legend
};

// A horizontal line across the plot, e.g. the 5 : 1 repair-to-rupture ratio.
struct ReferenceLine {
    double value = 0.0;
    std::string label;  // drawn at the right end, above the line
    Rgba color = palette::reference;
};

// A shaded stripe behind the data spanning [x0, x1], e.g. an EFT stage.
struct Band {
    double x0 = 0.0;
    double x1 = 0.0;
    std::string label;  // drawn in a strip above the plot, at the band's left
    Rgba color = palette::stage_band(0);
};

// A shaded stripe across the plot's whole width spanning [y0, y1], e.g. an
// instrument's clinical range below its cut-off.
struct YBand {
    double y0 = 0.0;
    double y1 = 0.0;
    std::string label;  // drawn in the stripe's top-left corner
    Rgba color = palette::clinical_band;
};

// A labelled position on the x axis, e.g. {3, "S3"} for session 3.
struct XTick {
    double x = 0.0;
    std::string label;
};

struct ChartSpec {
    std::string title;
    std::string x_label;
    std::string y_label;
    std::vector<Series> series;
    std::optional<double> y_min;  // fixed axis bounds; otherwise from the data
    std::optional<double> y_max;
    std::vector<ReferenceLine> reference_lines;
    std::vector<Band> bands;
    std::vector<YBand> y_bands;  // drawn behind the data, over the x bands
    std::vector<XTick> x_ticks;  // empty: numeric ticks; given: these, thinned to fit
    bool y_percent = false;      // y values are fractions shown as "45%"
};

// One data point: spec.series[series].y[index].
struct PointRef {
    std::size_t series = 0;
    std::size_t index = 0;
    friend bool operator==(const PointRef&, const PointRef&) = default;
};

// [SECTION] Ticks and ranges

struct AxisRange {
    double lo = 0.0;
    double hi = 1.0;
    double span() const { return hi - lo; }
};

// Tick values k·step covering [lo, hi], step a "nice" 1, 2, 2.5 or 5 × 10^n:
// the smallest such step that needs at most `max_intervals` steps. So
// (0, 1, 5) gives 0, 0.2, ..., 1 and (0, 7.3, 6) gives 0, 2, 4, 6, 8.
// lo > hi is swapped; lo == hi, NaN or infinite input gives no ticks.
std::vector<double> nice_ticks(double lo, double hi, int max_intervals);
double nice_step(double lo, double hi, int max_intervals);  // the step nice_ticks uses

// The data range widened to the outer nice ticks. A single value v is widened
// by 10 % of |v| (by 1 when v is 0) on each side first; no data at all
// (nullopt) gives [0, 1].
AxisRange nice_range(double lo, double hi, int max_intervals);
AxisRange nice_range(std::optional<AxisRange> data, int max_intervals);

// A tick label with as many decimals as the step needs (step 0.25 -> "0.75",
// step 5 -> "10"). Percent: value 0.25 -> "25%", decimals from step × 100.
std::string format_tick(double value, double step, bool percent = false);
// An exact value for tooltips: up to 3 decimals (1 for percent), zeros trimmed.
std::string format_value(double value, bool percent = false);

// [SECTION] Pixel mapping

struct PixelPoint {
    double x = 0.0;
    double y = 0.0;
};

struct PixelRect {
    double x0 = 0.0;  // left
    double y0 = 0.0;  // top
    double x1 = 0.0;  // right
    double y1 = 0.0;  // bottom
    double width() const { return x1 - x0; }
    double height() const { return y1 - y0; }
    bool contains(PixelPoint p) const { return p.x >= x0 && p.x <= x1 && p.y >= y0 && p.y <= y1; }
};

// Distance from p to the nearest point of rect; 0 inside.
double distance_to_rect(PixelPoint p, const PixelRect& rect);

// Data -> pixels for one plot rect: x.lo is the left edge, y.lo the bottom.
class Transform {
public:
    Transform() = default;
    Transform(PixelRect plot, AxisRange x, AxisRange y);

    double to_pixel_x(double x) const;
    double to_pixel_y(double y) const;
    PixelPoint to_pixel(double x, double y) const { return {to_pixel_x(x), to_pixel_y(y)}; }
    double to_data_x(double pixel_x) const;
    double to_data_y(double pixel_y) const;

    const PixelRect& plot() const { return plot_; }
    const AxisRange& x_range() const { return x_; }
    const AxisRange& y_range() const { return y_; }

private:
    PixelRect plot_{0, 0, 1, 1};
    AxisRange x_;
    AxisRange y_;
};

// [SECTION] Bars

// A bar's extent in data y: from base to top.
struct StackSpan {
    double base = 0.0;
    double top = 0.0;
};

// For each series (parallel to `series`), one span per point; empty for
// series that are hidden or not StackedBars. Visible stacked series pile up in
// order at equal x; negative values stack downward from 0 on their own pile.
// A gap counts as 0: its span is empty (base == top).
std::vector<std::vector<StackSpan>> stack_bars(const std::vector<Series>& series);

// Where bar k of `count` side-by-side bars sits in one x slot, in data units
// relative to the slot's centre x. `fill` is the share of the slot the group
// covers; the rest is the gap between groups.
struct BarPlacement {
    double offset = 0.0;  // of the bar's centre from the slot's centre
    double width = 0.0;
};
BarPlacement grouped_bar(std::size_t k, std::size_t count, double slot_width, double fill = 0.8);

// The smallest distance between distinct x values of the given series (1 when
// there are fewer than two): the width of one bar slot.
double slot_width(const std::vector<Series>& series);
double slot_width(std::vector<double> xs);  // the same over bare x values

// [SECTION] Layout

// How a renderer measures text: ImGui passes CalcTextSize, cairo its text
// extents. Layout places every label by its top-left corner.
struct TextMetrics {
    double line_height = 13.0;
    std::function<double(std::string_view)> width;  // empty: 0.55 × line_height per byte
    double measure(std::string_view text) const;
};

struct PlacedTick {
    double value = 0.0;  // data coordinate
    double pixel = 0.0;  // x or y pixel of the tick
    std::string label;
    PixelPoint label_pos;  // top-left
};

struct LegendEntry {
    std::size_t series = 0;
    PixelRect box;     // whole entry: click target
    PixelRect swatch;  // the coloured square
    PixelPoint text_pos;
    std::string text;  // the series' name, shortened with an ellipsis when wider than the chart
};

struct PlacedReferenceLine {
    std::size_t index = 0;  // into spec.reference_lines; only those in range are placed
    double pixel_y = 0.0;
    PixelPoint label_pos;
};

// Band labels live in a strip of their own above the plot (one text line), so
// that no bar or line can ever cover them; the band's shading reaches up into
// the strip to tie the label to its band.
struct PlacedBand {
    std::size_t index = 0;  // into spec.bands; clipped to the plot, empty ones dropped
    PixelRect rect;         // the plot's height plus the label strip above it
    PixelPoint label_pos;   // top-left, inside the strip, above plot.y0
    std::string label;      // spec label shortened with an ellipsis to the band's width
};

struct PlacedYBand {
    std::size_t index = 0;  // into spec.y_bands; clipped to the plot, empty ones dropped
    PixelRect rect;
    PixelPoint label_pos;
};

struct ChartLayout {
    PixelRect frame;  // everything the chart owns
    PixelRect plot;   // the data area
    Transform transform;
    double x_step = 0.0;  // 0 on a category axis (bars, or x_ticks given)
    double y_step = 0.0;
    std::vector<PlacedTick> x_ticks;
    std::vector<PlacedTick> y_ticks;
    std::vector<LegendEntry> legend;  // only series with a name
    std::vector<PlacedReferenceLine> reference_lines;
    std::vector<PlacedBand> bands;
    std::vector<PlacedYBand> y_bands;
    std::optional<PixelPoint> title_pos;
    std::string title;  // spec.title shortened with an ellipsis to fit the frame
    std::optional<PixelPoint> x_label_pos;
    std::optional<PixelPoint> y_label_pos;       // above the y axis, horizontal
    std::vector<std::vector<StackSpan>> stacks;  // see stack_bars
    std::vector<BarPlacement> bars;              // per series, for visible Bars/StackedBars series
    double marker_radius = 3.0;                  // pixels
};

// `text` as it fits in `max_width` pixels: whole, or cut at a character
// boundary with "…" appended (just "…" when not even one character fits).
std::string fit_text(const std::string& text, double max_width, const TextMetrics& metrics);

// The y range covers visible data, stacks, zero when bars are shown and the
// reference lines; the x range covers every series (hidden too, so toggling
// does not shift the axis) and x ticks, plus half a slot when bars or labelled
// ticks are present.
ChartLayout layout_chart(const ChartSpec& spec, const PixelRect& frame, const TextMetrics& text);

// A bar's rectangle in pixels, or nullopt for a gap, a hidden series or a
// series that is not drawn as bars.
std::optional<PixelRect> bar_rect(const ChartSpec& spec, const ChartLayout& layout, PointRef point);

// [SECTION] Picking and decimation

// The visible data point nearest to `pixel` within `radius` pixels. Bars count
// by their rectangle (0 inside) plus layout.marker_radius, so that a marker
// over a bar still wins within its own radius; other styles count by their
// point. The earlier series wins a tie (stacked segments meeting at an edge).
std::optional<PointRef> nearest_point(const ChartSpec& spec, const ChartLayout& layout,
                                      PixelPoint pixel, double radius);

// Indices of the points worth drawing at this zoom: only those in the visible
// x range (plus one neighbour each side so lines reach the edge), and of
// points closer than `min_pixels` in x only the first, lowest, highest and last
// (in index order), so a dense series keeps its peaks. A gap always survives
// so lines still break there.
std::vector<std::size_t> decimate(const std::vector<double>& x,
                                  const std::vector<std::optional<double>>& y,
                                  const Transform& transform, double min_pixels);

// Two lines for a tooltip: the series name, then "<x label>: <value>", the x
// label taken from the spec's x ticks when one matches.
std::string describe_point(const ChartSpec& spec, PointRef point);

}  // namespace attune
