// chart_layout.cpp: layout_chart() and bar_rect(), declared in chart_model.h.
// Split from chart_model.cpp because placing text and margins is a different
// job from the tick and picking maths, and each file stays short.

#include "core/chart_model.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

namespace attune {

double TextMetrics::measure(std::string_view text) const {
    return width ? width(text) : 0.55 * line_height * static_cast<double>(text.size());
}

namespace {

// A fixed axis bound or a reference line this close (relative to the step or
// span) to the range's end still counts as inside it.
constexpr double range_epsilon = 1e-9;

struct Extent {
    std::optional<AxisRange> range;
    void add(double value) {
        if (!std::isfinite(value)) {
            return;
        }
        if (!range) {
            range = AxisRange{value, value};
        } else {
            range->lo = std::min(range->lo, value);
            range->hi = std::max(range->hi, value);
        }
    }
};

struct NumericAxis {
    AxisRange range;
    double step = 0.0;
    std::vector<double> ticks;
};

NumericAxis y_axis(const ChartSpec& spec, const std::vector<std::vector<StackSpan>>& stacks,
                   int max_intervals) {
    Extent data;
    bool any_bars = false;
    for (std::size_t s = 0; s < spec.series.size(); ++s) {
        const Series& one = spec.series[s];
        if (!one.visible) {
            continue;
        }
        any_bars = any_bars || is_bar_style(one.style);
        for (const StackSpan& span : stacks[s]) {
            data.add(span.base);
            data.add(span.top);
        }
        if (one.style != SeriesStyle::StackedBars) {
            for (const auto& y : one.y) {
                if (y) {
                    data.add(*y);
                }
            }
        }
    }
    if (any_bars) {
        data.add(0.0);  // bars grow from zero; an axis starting at 12 would lie
    }
    for (const ReferenceLine& line : spec.reference_lines) {
        data.add(line.value);
    }
    if (spec.y_min) {
        data.add(*spec.y_min);
    }
    if (spec.y_max) {
        data.add(*spec.y_max);
    }

    NumericAxis axis;
    axis.range = nice_range(data.range, max_intervals);
    if (spec.y_min) {
        axis.range.lo = *spec.y_min;
    }
    if (spec.y_max) {
        axis.range.hi = *spec.y_max;
    }
    if (axis.range.lo > axis.range.hi) {
        std::swap(axis.range.lo, axis.range.hi);
    }
    if (axis.range.lo == axis.range.hi) {
        axis.range = nice_range(axis.range.lo, axis.range.hi, max_intervals);
    }
    axis.step = nice_step(axis.range.lo, axis.range.hi, max_intervals);
    // A fixed bound need not be a tick; ticks outside the range are dropped.
    const double slack = axis.step * range_epsilon;
    for (double tick : nice_ticks(axis.range.lo, axis.range.hi, max_intervals)) {
        if (tick >= axis.range.lo - slack && tick <= axis.range.hi + slack) {
            axis.ticks.push_back(tick);
        }
    }
    return axis;
}

// Fewer ticks until the labels fit side by side in `width`.
NumericAxis numeric_x_axis(std::optional<AxisRange> data, double width, const TextMetrics& text) {
    const double lh = text.line_height;
    int intervals = std::clamp(static_cast<int>(width / (text.measure("0000.0") + lh)), 2, 10);
    NumericAxis axis;
    for (;; --intervals) {
        axis.range = nice_range(data, intervals);
        axis.step = nice_step(axis.range.lo, axis.range.hi, intervals);
        axis.ticks = nice_ticks(axis.range.lo, axis.range.hi, intervals);
        double widest = 0.0;
        for (double x : axis.ticks) {
            widest = std::max(widest, text.measure(format_tick(x, axis.step)));
        }
        if (intervals <= 2 || (widest + lh) * static_cast<double>(axis.ticks.size()) <= width) {
            return axis;
        }
    }
}

// Side by side in a slot: each visible Bars series, and all visible
// StackedBars series together as one more member.
std::vector<BarPlacement> place_bar_groups(const std::vector<Series>& series, double slot) {
    std::vector<std::size_t> member(series.size(), 0);
    std::size_t members = 0;
    std::optional<std::size_t> stack_member;
    for (std::size_t s = 0; s < series.size(); ++s) {
        if (!series[s].visible || !is_bar_style(series[s].style)) {
            continue;
        }
        if (series[s].style == SeriesStyle::StackedBars) {
            if (!stack_member) {
                stack_member = members++;
            }
            member[s] = *stack_member;
        } else {
            member[s] = members++;
        }
    }
    std::vector<BarPlacement> bars(series.size());
    for (std::size_t s = 0; s < series.size(); ++s) {
        if (series[s].visible && is_bar_style(series[s].style)) {
            bars[s] = grouped_bar(member[s], members, slot);
        }
    }
    return bars;
}

// Keeps every stride-th labelled tick so that no two labels overlap.
std::vector<PlacedTick> thin_ticks(std::vector<PlacedTick> ticks, const TextMetrics& text) {
    if (ticks.size() < 2) {
        return ticks;
    }
    double widest = 0.0;
    double closest = std::numeric_limits<double>::infinity();
    for (std::size_t i = 0; i < ticks.size(); ++i) {
        widest = std::max(widest, text.measure(ticks[i].label));
        if (i > 0) {
            closest = std::min(closest, std::abs(ticks[i].pixel - ticks[i - 1].pixel));
        }
    }
    const double needed = widest + text.line_height * 0.5;
    if (closest >= needed) {
        return ticks;
    }
    const auto stride =
        closest > 0.0 ? static_cast<std::size_t>(std::ceil(needed / closest)) : ticks.size();
    std::vector<PlacedTick> kept;
    for (std::size_t i = 0; i < ticks.size(); i += stride) {
        kept.push_back(std::move(ticks[i]));
    }
    return kept;
}

// Flows the named series' legend entries into centred rows inside
// [x0, x0 + width], starting at y; returns the height used.
double place_legend(const ChartSpec& spec, const TextMetrics& text, double x0, double width,
                    double y, std::vector<LegendEntry>& entries) {
    const double lh = text.line_height;
    const double swatch = std::round(lh * 0.8);
    const double inner_gap = lh * 0.35;
    const double between = lh;
    const double row_height = lh * 1.3;
    std::vector<LegendEntry> row;
    double row_width = 0.0;
    double top = y;
    auto flush = [&] {
        const double shift = std::max(0.0, (width - row_width) / 2.0);
        for (LegendEntry& entry : row) {
            for (double* px : {&entry.box.x0, &entry.box.x1, &entry.swatch.x0, &entry.swatch.x1,
                               &entry.text_pos.x}) {
                *px += shift;
            }
            entries.push_back(entry);
        }
        row.clear();
        row_width = 0.0;
        top += row_height;
    };
    for (std::size_t s = 0; s < spec.series.size(); ++s) {
        if (spec.series[s].name.empty()) {
            continue;
        }
        // A name wider than the chart (a partner's long name) is shortened, never drawn past the frame.
        std::string name = fit_text(spec.series[s].name, std::max(0.0, width - swatch - inner_gap), text);
        const double entry_width = swatch + inner_gap + text.measure(name);
        if (!row.empty() && row_width + between + entry_width > width) {
            flush();
        }
        const double left = x0 + row_width + (row.empty() ? 0.0 : between);
        LegendEntry entry;
        entry.series = s;
        entry.box = {left, top, left + entry_width, top + lh};
        const double swatch_top = top + (lh - swatch) / 2.0;
        entry.swatch = {left, swatch_top, left + swatch, swatch_top + swatch};
        entry.text_pos = {left + swatch + inner_gap, top};
        entry.text = std::move(name);
        row.push_back(entry);
        row_width = entry.box.x1 - x0;
    }
    if (!row.empty()) {
        flush();
    }
    return top - y;
}

}  // namespace

std::string fit_text(const std::string& text, double max_width, const TextMetrics& metrics) {
    if (metrics.measure(text) <= max_width) return text;
    static const std::string kEllipsis = "\xE2\x80\xA6";
    std::size_t end = text.size();
    while (end > 0) {
        // Back to the start of the previous UTF-8 character.
        do {
            --end;
        } while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80);
        const std::string candidate = text.substr(0, end) + kEllipsis;
        if (metrics.measure(candidate) <= max_width) return candidate;
    }
    return kEllipsis;
}

ChartLayout layout_chart(const ChartSpec& spec, const PixelRect& frame, const TextMetrics& text) {
    ChartLayout layout;
    layout.frame = frame;
    const double lh = text.line_height;
    const double pad = lh * 0.5;
    const double gap = lh * 0.3;
    layout.marker_radius = std::max(2.0, lh * 0.22);

    // The x extent comes from every series, hidden ones too, so that the axis
    // stays put when the legend toggles a series.
    std::vector<double> all_x;
    bool categorical = !spec.x_ticks.empty();
    for (const Series& one : spec.series) {
        all_x.insert(all_x.end(), one.x.begin(), one.x.end());
        categorical = categorical || is_bar_style(one.style);
    }
    for (const XTick& tick : spec.x_ticks) {
        all_x.push_back(tick.x);
    }
    Extent x_data;
    for (double x : all_x) {
        x_data.add(x);
    }
    const double slot = slot_width(all_x);
    layout.stacks = stack_bars(spec.series);

    // Vertical: title, y label, plot, x tick labels, x label, legend.
    double top = frame.y0 + pad;
    if (!spec.title.empty()) {
        // A long title (a partner's long name) is shortened, never drawn past the frame.
        layout.title = fit_text(spec.title, frame.width() - 2.0 * pad, text);
        layout.title_pos = PixelPoint{
            frame.x0 + std::max(pad, (frame.width() - text.measure(layout.title)) / 2.0), top};
        top += lh + gap;
    }
    if (!spec.y_label.empty()) {
        layout.y_label_pos = PixelPoint{frame.x0 + pad, top};
        top += lh + gap;
    }
    // A strip for the band labels, above the data: bars reaching the top never cover them.
    const double band_strip_top = top;
    if (!spec.bands.empty()) top += lh + gap;
    top += lh * 0.5;  // the top y tick label is centred on the plot's top edge
    std::vector<LegendEntry> legend;
    const double legend_height =
        place_legend(spec, text, frame.x0 + pad, frame.width() - 2.0 * pad, 0.0, legend);
    double bottom = frame.y1 - pad - legend_height - (legend.empty() ? 0.0 : gap);
    const double legend_top = bottom + (legend.empty() ? 0.0 : gap);
    for (LegendEntry& entry : legend) {
        entry.box.y0 += legend_top;
        entry.box.y1 += legend_top;
        entry.swatch.y0 += legend_top;
        entry.swatch.y1 += legend_top;
        entry.text_pos.y += legend_top;
    }
    layout.legend = std::move(legend);
    double x_label_top = 0.0;
    if (!spec.x_label.empty()) {
        bottom -= lh;
        x_label_top = bottom;
        bottom -= gap;
    }
    bottom -= lh;  // x tick labels
    const double x_tick_top = bottom;
    bottom -= gap;
    layout.plot.y0 = top;
    layout.plot.y1 = std::max(top + 1.0, bottom);

    // The y ticks decide how wide their labels are, hence the left margin.
    const int y_intervals = std::clamp(static_cast<int>(layout.plot.height() / (lh * 2.2)), 2, 10);
    const NumericAxis y = y_axis(spec, layout.stacks, y_intervals);
    layout.y_step = y.step;
    double widest_y_label = 0.0;
    for (double tick : y.ticks) {
        PlacedTick placed;
        placed.value = tick;
        placed.label = format_tick(tick, y.step, spec.y_percent);
        widest_y_label = std::max(widest_y_label, text.measure(placed.label));
        layout.y_ticks.push_back(std::move(placed));
    }
    layout.plot.x0 = frame.x0 + pad + widest_y_label + gap;
    layout.plot.x1 = std::max(layout.plot.x0 + 1.0, frame.x1 - lh);  // room for half a last x label

    // The x axis: categories (bars, labelled sessions) get half a slot of air
    // on each side; plain numbers get nice bounds, fewer ticks until they fit.
    AxisRange x_range;
    std::vector<double> x_values;
    if (categorical) {
        if (x_data.range) {
            x_range = {x_data.range->lo - slot / 2.0, x_data.range->hi + slot / 2.0};
        }
        if (spec.x_ticks.empty()) {
            std::sort(all_x.begin(), all_x.end());
            all_x.erase(std::unique(all_x.begin(), all_x.end()), all_x.end());
            x_values = all_x;
        }
    } else {
        const NumericAxis axis = numeric_x_axis(x_data.range, layout.plot.width(), text);
        x_range = axis.range;
        layout.x_step = axis.step;
        x_values = axis.ticks;
    }
    layout.transform = Transform(layout.plot, x_range, y.range);
    const Transform& transform = layout.transform;

    for (PlacedTick& tick : layout.y_ticks) {
        tick.pixel = transform.to_pixel_y(tick.value);
        tick.label_pos = {layout.plot.x0 - gap - text.measure(tick.label), tick.pixel - lh / 2.0};
    }
    std::vector<PlacedTick> x_ticks;
    auto add_x_tick = [&](double x, std::string label) {
        if (x < transform.x_range().lo || x > transform.x_range().hi) {
            return;
        }
        PlacedTick tick{x, transform.to_pixel_x(x), std::move(label), {}};
        tick.label_pos = {tick.pixel - text.measure(tick.label) / 2.0, x_tick_top};
        x_ticks.push_back(std::move(tick));
    };
    for (const XTick& tick : spec.x_ticks) {
        add_x_tick(tick.x, tick.label);
    }
    for (double x : x_values) {
        add_x_tick(x, categorical ? format_value(x) : format_tick(x, layout.x_step));
    }
    std::sort(x_ticks.begin(), x_ticks.end(),
              [](const PlacedTick& a, const PlacedTick& b) { return a.value < b.value; });
    layout.x_ticks = thin_ticks(std::move(x_ticks), text);

    if (!spec.x_label.empty()) {
        const double centre = (layout.plot.x0 + layout.plot.x1) / 2.0;
        layout.x_label_pos = PixelPoint{centre - text.measure(spec.x_label) / 2.0, x_label_top};
    }

    const double y_slack = std::abs(y.range.span()) * range_epsilon;
    for (std::size_t i = 0; i < spec.reference_lines.size(); ++i) {
        const ReferenceLine& line = spec.reference_lines[i];
        if (line.value < y.range.lo - y_slack || line.value > y.range.hi + y_slack) {
            continue;
        }
        PlacedReferenceLine placed;
        placed.index = i;
        placed.pixel_y = transform.to_pixel_y(line.value);
        double label_top = placed.pixel_y - lh - 1.0;
        if (label_top < layout.plot.y0) {
            label_top = placed.pixel_y + 1.0;  // a line at the very top: label below it
        }
        placed.label_pos = {layout.plot.x1 - gap - text.measure(line.label), label_top};
        layout.reference_lines.push_back(placed);
    }

    for (std::size_t i = 0; i < spec.bands.size(); ++i) {
        const Band& band = spec.bands[i];
        const double left =
            std::max(layout.plot.x0, transform.to_pixel_x(std::min(band.x0, band.x1)));
        const double right =
            std::min(layout.plot.x1, transform.to_pixel_x(std::max(band.x0, band.x1)));
        if (right <= left) {
            continue;
        }
        PlacedBand placed;
        placed.index = i;
        placed.rect = {left, band_strip_top, right, layout.plot.y1};
        placed.label_pos = {left + gap, band_strip_top};
        const double room = std::max(0.0, right - left - 2.0 * gap);
        placed.label = fit_text(band.label, room, text);
        if (text.measure(placed.label) > room) placed.label.clear();  // not even "…" fits: no label
        layout.bands.push_back(placed);
    }

    for (std::size_t i = 0; i < spec.y_bands.size(); ++i) {
        const YBand& band = spec.y_bands[i];
        // Pixel y grows downward: the higher value is the top.
        const double band_top = std::max(layout.plot.y0, transform.to_pixel_y(std::max(band.y0, band.y1)));
        const double band_bottom = std::min(layout.plot.y1, transform.to_pixel_y(std::min(band.y0, band.y1)));
        if (band_bottom <= band_top) {
            continue;
        }
        PlacedYBand placed;
        placed.index = i;
        placed.rect = {layout.plot.x0, band_top, layout.plot.x1, band_bottom};
        placed.label_pos = {layout.plot.x0 + gap, band_top + gap};
        layout.y_bands.push_back(placed);
    }

    layout.bars = place_bar_groups(spec.series, slot);
    return layout;
}

std::optional<PixelRect> bar_rect(const ChartSpec& spec, const ChartLayout& layout,
                                  PointRef point) {
    if (point.series >= spec.series.size() || point.series >= layout.bars.size()) {
        return std::nullopt;
    }
    const Series& one = spec.series[point.series];
    if (!one.visible || !is_bar_style(one.style) || point.index >= one.x.size() ||
        point.index >= one.y.size() || !one.y[point.index]) {
        return std::nullopt;
    }
    StackSpan span{0.0, *one.y[point.index]};
    if (one.style == SeriesStyle::StackedBars) {
        const auto& spans = layout.stacks[point.series];
        if (point.index >= spans.size()) {
            return std::nullopt;
        }
        span = spans[point.index];
    }
    const BarPlacement& bar = layout.bars[point.series];
    const double centre = one.x[point.index] + bar.offset;
    const Transform& t = layout.transform;
    return PixelRect{
        t.to_pixel_x(centre - bar.width / 2.0), t.to_pixel_y(std::max(span.base, span.top)),
        t.to_pixel_x(centre + bar.width / 2.0), t.to_pixel_y(std::min(span.base, span.top))};
}

}  // namespace attune
