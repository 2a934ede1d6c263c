// chart.cpp: ChartLayout -> ImDrawList, mouse -> ChartEvents.
//
// Index
// [SECTION] Helpers
// [SECTION] Furniture: bands, grid, axes, reference lines, text
// [SECTION] Series
// [SECTION] draw_chart
// [SECTION] draw_sparkline

#include "ui/chart.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <string_view>
#include <utility>

#include "ui/dialog.h"
#include "ui/theme.h"

namespace attune::ui {

// [SECTION] Helpers

namespace {

ImVec2 to_imvec(PixelPoint point) {
    return {static_cast<float>(point.x), static_cast<float>(point.y)};
}

// 1-pixel lines land on pixel centres, otherwise they blur across two rows.
float crisp(double pixel) {
    return std::floor(static_cast<float>(pixel)) + 0.5f;
}

// A stroke `pixels` wide on a normal screen, as heavy on a HiDPI one.
float stroke(float pixels) {
    return pixels * ui_scale();
}

ImU32 style_color(ImGuiCol which, float alpha_scale = 1.0f) {
    ImVec4 color = ImGui::GetStyleColorVec4(which);
    color.w *= alpha_scale;
    return ImGui::GetColorU32(color);
}

void add_text(ImDrawList& draw, PixelPoint pos, ImU32 color, std::string_view text) {
    draw.AddText(to_imvec(pos), color, text.data(), text.data() + text.size());
}

// ImDrawList has no dashes; reference lines need to read apart from the grid.
void add_dashed_hline(ImDrawList& draw, float x0, float x1, float y, ImU32 color, float thickness) {
    const float dash = stroke(6.0f);
    const float space = stroke(4.0f);
    for (float x = x0; x < x1; x += dash + space) {
        draw.AddLine({x, y}, {std::min(x + dash, x1), y}, color, thickness);
    }
}

TextMetrics imgui_text_metrics() {
    TextMetrics metrics;
    metrics.line_height = ImGui::GetTextLineHeight();
    metrics.width = [](std::string_view text) {
        return static_cast<double>(ImGui::CalcTextSize(text.data(), text.data() + text.size()).x);
    };
    return metrics;
}

// [SECTION] Furniture: bands, grid, axes, reference lines, text

void draw_bands(ImDrawList& draw, const ChartSpec& spec, const ChartLayout& layout) {
    const ImU32 label_color = style_color(ImGuiCol_Text, 0.75f);
    for (const PlacedBand& band : layout.bands) {
        const Band& source = spec.bands[band.index];
        const ImVec2 min = to_imvec({band.rect.x0, band.rect.y0});
        const ImVec2 max = to_imvec({band.rect.x1, band.rect.y1});
        draw.AddRectFilled(min, max, to_imgui_color(source.color));
        const ScopedClipRect clip(draw, min, max);  // a long label must not spill into the next band
        add_text(draw, band.label_pos, label_color, band.label);
    }
    for (const PlacedYBand& band : layout.y_bands) {  // e.g. an instrument's clinical range
        const YBand& source = spec.y_bands[band.index];
        const ImVec2 min = to_imvec({band.rect.x0, band.rect.y0});
        const ImVec2 max = to_imvec({band.rect.x1, band.rect.y1});
        draw.AddRectFilled(min, max, to_imgui_color(source.color));
        const ScopedClipRect clip(draw, min, max);
        add_text(draw, band.label_pos, label_color, source.label);
    }
}

void draw_grid_and_axes(ImDrawList& draw, const ChartLayout& layout) {
    const PixelRect& plot = layout.plot;
    const ImU32 grid = to_imgui_color(palette::grid);
    const ImU32 axis = to_imgui_color(palette::axis);
    const ImU32 tick_text = style_color(ImGuiCol_Text, 0.8f);
    const auto left = static_cast<float>(plot.x0);
    const auto right = static_cast<float>(plot.x1);
    const auto top = static_cast<float>(plot.y0);
    const auto bottom = static_cast<float>(plot.y1);
    for (const PlacedTick& tick : layout.y_ticks) {
        const float y = crisp(tick.pixel);
        draw.AddLine({left, y}, {right, y}, grid);
        add_text(draw, tick.label_pos, tick_text, tick.label);
    }
    for (const PlacedTick& tick : layout.x_ticks) {
        const float x = crisp(tick.pixel);
        draw.AddLine({x, top}, {x, bottom}, grid);
        draw.AddLine({x, crisp(plot.y1)}, {x, crisp(plot.y1) + stroke(4.0f)}, axis);
        add_text(draw, tick.label_pos, tick_text, tick.label);
    }
    draw.AddLine({crisp(plot.x0), top}, {crisp(plot.x0), bottom}, axis);
    draw.AddLine({left, crisp(plot.y1)}, {right, crisp(plot.y1)}, axis);
}

void draw_reference_lines(ImDrawList& draw, const ChartSpec& spec, const ChartLayout& layout) {
    for (const PlacedReferenceLine& line : layout.reference_lines) {
        const ReferenceLine& source = spec.reference_lines[line.index];
        const ImU32 color = to_imgui_color(source.color);
        add_dashed_hline(draw, static_cast<float>(layout.plot.x0), static_cast<float>(layout.plot.x1),
                         crisp(line.pixel_y), color, stroke(1.5f));
        add_text(draw, line.label_pos, color, source.label);
    }
}

void draw_titles(ImDrawList& draw, const ChartSpec& spec, const ChartLayout& layout) {
    const ImU32 text = style_color(ImGuiCol_Text);
    if (layout.title_pos) {
        add_text(draw, *layout.title_pos, text, layout.title);
    }
    const ImU32 label = style_color(ImGuiCol_Text, 0.85f);
    if (layout.y_label_pos) {
        add_text(draw, *layout.y_label_pos, label, spec.y_label);
    }
    if (layout.x_label_pos) {
        add_text(draw, *layout.x_label_pos, label, spec.x_label);
    }
}

void draw_legend(ImDrawList& draw, const ChartSpec& spec, const ChartLayout& layout,
                 std::optional<std::size_t> hovered_entry) {
    for (std::size_t e = 0; e < layout.legend.size(); ++e) {
        const LegendEntry& entry = layout.legend[e];
        const Series& series = spec.series[entry.series];
        const ImU32 color = to_imgui_color(series.color);
        const ImVec2 min = to_imvec({entry.swatch.x0, entry.swatch.y0});
        const ImVec2 max = to_imvec({entry.swatch.x1, entry.swatch.y1});
        if (hovered_entry == e) {
            draw.AddRectFilled(to_imvec({entry.box.x0 - 2.0, entry.box.y0}),
                               to_imvec({entry.box.x1 + 2.0, entry.box.y1}), style_color(ImGuiCol_HeaderHovered, 0.5f));
        }
        // A hidden series keeps an outlined swatch so it can be found again.
        if (series.visible) {
            draw.AddRectFilled(min, max, color);
        } else {
            draw.AddRect(min, max, color, 0.0f, 0, stroke(1.5f));
        }
        add_text(draw, entry.text_pos, style_color(series.visible ? ImGuiCol_Text : ImGuiCol_TextDisabled), entry.text);
    }
}

// [SECTION] Series

void draw_bars(ImDrawList& draw, const ChartSpec& spec, const ChartLayout& layout, std::size_t s) {
    const Series& series = spec.series[s];
    const ImU32 color = to_imgui_color(series.color);
    for (std::size_t i = 0; i < series.x.size(); ++i) {
        const auto rect = bar_rect(spec, layout, {s, i});
        if (!rect) {
            continue;
        }
        // A bar thinner than a pixel would vanish; keep it visible.
        const double x1 = std::max(rect->x1, rect->x0 + 1.0);
        draw.AddRectFilled(to_imvec({rect->x0, rect->y0}), to_imvec({x1, rect->y1}), color);
    }
}

// Lines break at gaps; a lone point between two gaps is drawn as a dot so that
// a single session's value does not disappear.
void draw_line_series(ImDrawList& draw, const Series& series, const ChartLayout& layout, std::vector<ImVec2>& scratch) {
    const ImU32 color = to_imgui_color(series.color);
    const auto radius = static_cast<float>(layout.marker_radius);
    const Transform& t = layout.transform;
    const std::vector<std::size_t> kept = decimate(series.x, series.y, t, 1.5);
    const bool lines = series.style != SeriesStyle::Points;
    // Markers stop helping once they would overlap into a solid band.
    const bool markers =
        series.style != SeriesStyle::Line && static_cast<double>(kept.size()) * radius * 2.5 < layout.plot.width();

    auto flush = [&] {
        if (scratch.size() == 1 || (!lines && !scratch.empty())) {
            for (const ImVec2& p : scratch) {
                draw.AddCircleFilled(p, std::max(radius, 2.0f), color);
            }
        } else if (scratch.size() > 1) {
            draw.AddPolyline(scratch.data(), static_cast<int>(scratch.size()), color, ImDrawFlags_None, stroke(2.0f));
        }
        scratch.clear();
    };
    scratch.clear();
    for (std::size_t i : kept) {
        if (!series.y[i]) {
            flush();
            continue;
        }
        scratch.push_back(to_imvec(t.to_pixel(series.x[i], *series.y[i])));
    }
    flush();
    if (markers && lines) {
        for (std::size_t i : kept) {
            if (series.y[i]) {
                draw.AddCircleFilled(to_imvec(t.to_pixel(series.x[i], *series.y[i])), radius, color);
            }
        }
    }
}

void draw_series(ImDrawList& draw, const ChartSpec& spec, const ChartLayout& layout) {
    // Bars first, so lines drawn over them stay visible.
    for (std::size_t s = 0; s < spec.series.size(); ++s) {
        if (spec.series[s].visible && is_bar_style(spec.series[s].style)) {
            draw_bars(draw, spec, layout, s);
        }
    }
    std::vector<ImVec2> scratch;
    for (const Series& series : spec.series) {
        if (series.visible && !is_bar_style(series.style)) {
            draw_line_series(draw, series, layout, scratch);
        }
    }
}

void draw_highlight(ImDrawList& draw, const ChartSpec& spec, const ChartLayout& layout, PointRef point) {
    const ImU32 color = style_color(ImGuiCol_Text);
    if (const auto rect = bar_rect(spec, layout, point)) {
        draw.AddRect(to_imvec({rect->x0 - 1.0, rect->y0 - 1.0}), to_imvec({rect->x1 + 1.0, rect->y1 + 1.0}), color,
                     0.0f, 0, stroke(2.0f));
        return;
    }
    const Series& series = spec.series[point.series];
    const PixelPoint p = layout.transform.to_pixel(series.x[point.index], *series.y[point.index]);
    draw.AddCircle(to_imvec(p), static_cast<float>(layout.marker_radius) + stroke(3.0f), color, 0, stroke(2.0f));
}

std::optional<std::size_t> legend_entry_at(const ChartLayout& layout, PixelPoint mouse) {
    for (std::size_t e = 0; e < layout.legend.size(); ++e) {
        PixelRect box = layout.legend[e].box;
        box.x0 -= 2.0;  // a little slack: the swatch edge is a small target
        box.x1 += 2.0;
        if (box.contains(mouse)) {
            return e;
        }
    }
    return std::nullopt;
}

}  // namespace

ImU32 to_imgui_color(Rgba color) {
    return ImGui::GetColorU32(ImVec4(color.r, color.g, color.b, color.a));
}

// [SECTION] draw_chart

bool draw_chart(const char* id, ChartSpec& spec, ImVec2 size, ChartEvents* events) {
    const ScopedId scope(id);
    const float line_height = ImGui::GetTextLineHeight();
    if (size.x <= 0.0f) {
        size.x = std::max(ImGui::GetContentRegionAvail().x, line_height * 8.0f);
    }
    if (size.y <= 0.0f) {
        size.y = line_height * 16.0f;
    }
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    // One invisible button over the whole chart: it takes the layout space and
    // owns the mouse, so a click on the chart never drags the window.
    const bool released = ImGui::InvisibleButton("##chart", size);
    const bool hovered = ImGui::IsItemHovered();
    if (!ImGui::IsItemVisible()) return false;

    const TextMetrics metrics = imgui_text_metrics();
    const PixelRect frame{origin.x, origin.y, origin.x + size.x, origin.y + size.y};
    ChartLayout layout = layout_chart(spec, frame, metrics);

    const ImVec2 mouse_imgui = ImGui::GetIO().MousePos;
    const PixelPoint mouse{mouse_imgui.x, mouse_imgui.y};
    std::optional<std::size_t> legend_hover = hovered ? legend_entry_at(layout, mouse) : std::nullopt;
    ChartEvents happened;
    if (released && legend_hover) {
        const std::size_t s = layout.legend[*legend_hover].series;
        spec.series[s].visible = !spec.series[s].visible;
        happened.toggled_series = s;
        layout = layout_chart(spec, frame, metrics);  // draw this frame as it now is
    }
    if (hovered && !legend_hover) {
        const double radius = std::max(8.0, static_cast<double>(line_height) * 0.6);
        happened.hovered = nearest_point(spec, layout, mouse, radius);
        if (released) {
            happened.clicked = happened.hovered;
        }
    }
    if (legend_hover || (happened.hovered && events != nullptr)) {
        ImGui::SetMouseCursor(ImGuiMouseCursor_Hand);
    }

    ImDrawList& draw = *ImGui::GetWindowDrawList();
    {
        const ScopedClipRect whole(draw, to_imvec({frame.x0, frame.y0}), to_imvec({frame.x1, frame.y1}));
        draw_bands(draw, spec, layout);
        draw_grid_and_axes(draw, layout);
        {
            const ScopedClipRect plot(draw, to_imvec({layout.plot.x0, layout.plot.y0}),
                                      to_imvec({layout.plot.x1 + 1.0, layout.plot.y1 + 1.0}));
            draw_series(draw, spec, layout);
            if (happened.hovered) draw_highlight(draw, spec, layout, *happened.hovered);
        }
        draw_reference_lines(draw, spec, layout);
        draw_titles(draw, spec, layout);
        draw_legend(draw, spec, layout, legend_hover);
    }

    if (happened.hovered) {
        const std::string text = describe_point(spec, *happened.hovered);
        ImGui::BeginTooltip();
        ImGui::TextUnformatted(text.c_str(), text.c_str() + text.size());
        ImGui::EndTooltip();
    }
    const bool clicked_point = happened.clicked.has_value();
    if (events != nullptr) {
        *events = std::move(happened);
    }
    return clicked_point;
}

// [SECTION] draw_sparkline

void draw_sparkline(const std::vector<std::optional<double>>& values, ImVec2 size, Rgba color, std::optional<double> lo,
                    std::optional<double> hi) {
    if (size.x <= 0.0f) {
        size.x = std::max(ImGui::GetContentRegionAvail().x, 1.0f);
    }
    if (size.y <= 0.0f) {
        size.y = ImGui::GetTextLineHeight();
    }
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    ImGui::Dummy(size);
    if (!ImGui::IsItemVisible()) {
        return;
    }
    std::optional<double> data_lo;
    std::optional<double> data_hi;
    std::optional<std::size_t> last;
    for (std::size_t i = 0; i < values.size(); ++i) {
        if (values[i]) {
            data_lo = std::min(data_lo.value_or(*values[i]), *values[i]);
            data_hi = std::max(data_hi.value_or(*values[i]), *values[i]);
            last = i;
        }
    }
    if (!last) {
        return;
    }
    // Inset by the dot's radius so the last value is not cut in half.
    const double inset = stroke(2.5f);
    const PixelRect plot{origin.x + inset, origin.y + inset, origin.x + size.x - inset, origin.y + size.y - inset};
    const double count = static_cast<double>(values.size());
    const Transform t(plot, {0.0, std::max(1.0, count - 1.0)}, {lo.value_or(*data_lo), hi.value_or(*data_hi)});
    std::vector<double> xs(values.size());
    for (std::size_t i = 0; i < xs.size(); ++i) {
        xs[i] = static_cast<double>(i);
    }

    ImDrawList& draw = *ImGui::GetWindowDrawList();
    const ImU32 line_color = to_imgui_color(color);
    std::vector<ImVec2> run;
    auto flush = [&] {
        if (run.size() == 1) {
            draw.AddCircleFilled(run.front(), stroke(1.5f), line_color);
        } else if (run.size() > 1) {
            draw.AddPolyline(run.data(), static_cast<int>(run.size()), line_color, ImDrawFlags_None, stroke(1.5f));
        }
        run.clear();
    };
    for (std::size_t i : decimate(xs, values, t, 1.0)) {
        if (!values[i]) {
            flush();
            continue;
        }
        // A value outside a fixed [lo, hi] is pinned to the edge, not drawn outside the cell.
        const double y = std::clamp(t.to_pixel_y(*values[i]), plot.y0, plot.y1);
        run.push_back(to_imvec({t.to_pixel_x(xs[i]), y}));
    }
    flush();
    const double last_y = std::clamp(t.to_pixel_y(*values[*last]), plot.y0, plot.y1);
    draw.AddCircleFilled(to_imvec({t.to_pixel_x(xs[*last]), last_y}), stroke(2.5f), line_color);
}

}  // namespace attune::ui
