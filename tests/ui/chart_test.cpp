// ui/chart through the headless fixture: a chart drawn alone in a harness
// frame (run_frame_with) for what it draws and what hovering picks, and the
// case trends view's real charts for what clicking does (the harness presses
// the mouse button only in the shell's frames).
#include "ui/chart.h"

#include <catch2/catch_test_macros.hpp>
#include <functional>

#include "headless.h"
#include "session_data.h"
#include "support/practice_fixture.h"
#include "support/test_support.h"

using namespace attune;

namespace {

const ImVec2 kDisplay(800.0f, 600.0f);
const ImVec2 kChartSize(600.0f, 320.0f);

ChartSpec two_series_spec() {
    ChartSpec spec;
    spec.title = "Ruptures and repairs";
    spec.x_label = "Session";
    spec.y_label = "Count";
    Series ruptures;
    ruptures.name = "Ruptures";
    ruptures.x = {1, 2, 3, 4};
    ruptures.y = {6.0, 5.0, std::nullopt, 3.0};
    ruptures.color = palette::rupture;
    ruptures.style = SeriesStyle::LineWithMarkers;
    Series repairs = ruptures;
    repairs.name = "Repairs";
    repairs.y = {1.0, 2.0, 4.0, 5.0};
    repairs.color = palette::repair;
    repairs.style = SeriesStyle::Bars;
    spec.series = {ruptures, repairs};
    spec.x_ticks = {{1, "S1"}, {2, "S2"}, {3, "S3"}, {4, "S4"}};
    spec.reference_lines = {{5.0, "target", palette::reference}};
    spec.bands = {{0.5, 2.5, "Stage 1", palette::stage_1_band}};
    return spec;
}

// One harness frame with `body` inside a window covering the display.
void frame(test::Headless& ui, const std::function<void()>& body) {
    ui.run_frame_with([&] {
        ImGui::SetNextWindowPos(ImVec2(0.0f, 0.0f));
        ImGui::SetNextWindowSize(ImGui::GetIO().DisplaySize);
        ImGui::Begin("chart test", nullptr,
                     ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings);
        body();
        ImGui::End();
    });
}

// Where draw_chart puts things in `frame_rect`, found with the same core layout
// and ImGui text measurement it uses; inside a frame, where fonts are set.
ChartLayout layout_at(const ChartSpec& spec, const PixelRect& frame_rect) {
    TextMetrics metrics;
    metrics.line_height = ImGui::GetTextLineHeight();
    metrics.width = [](std::string_view text) {
        return static_cast<double>(ImGui::CalcTextSize(text.data(), text.data() + text.size()).x);
    };
    return layout_chart(spec, frame_rect, metrics);
}

ImVec2 to_imvec(PixelPoint p) {
    return {static_cast<float>(p.x), static_cast<float>(p.y)};
}
ImVec2 centre_of(const PixelRect& rect) {
    return to_imvec({(rect.x0 + rect.x1) / 2.0, (rect.y0 + rect.y1) / 2.0});
}

// A chart drawn alone at the top-left of the window, reporting its events.
struct LoneChart {
    test::Headless ui{kDisplay};
    ChartSpec spec = two_series_spec();
    ui::ChartEvents events;
    ChartLayout layout;  // as of the last frame

    void draw() {
        frame(ui, [&] {
            const ImVec2 origin = ImGui::GetCursorScreenPos();
            ui::draw_chart("chart", spec, kChartSize, &events);
            layout = layout_at(spec, {origin.x, origin.y, origin.x + kChartSize.x, origin.y + kChartSize.y});
        });
    }
    void hover(ImVec2 at) {
        ui.move_mouse(at);
        draw();
    }
};

}  // namespace

// [SECTION] Drawing

TEST_CASE("a chart fills the draw list and takes its size in the layout") {
    test::Headless ui(kDisplay);
    ChartSpec spec = two_series_spec();
    int vertices_added = 0;
    float cursor_moved = 0.0f;
    frame(ui, [&] {
        ImDrawList* draw = ImGui::GetWindowDrawList();
        const int before = draw->VtxBuffer.Size;
        const float top = ImGui::GetCursorScreenPos().y;
        ui::draw_chart("chart", spec, kChartSize);
        vertices_added = draw->VtxBuffer.Size - before;
        cursor_moved = ImGui::GetCursorScreenPos().y - top;
    });
    CHECK(vertices_added > 200);
    CHECK(cursor_moved >= kChartSize.y);
    CHECK(cursor_moved < kChartSize.y + 2 * ImGui::GetStyle().ItemSpacing.y);
    CHECK(ImGui::GetDrawData()->TotalVtxCount >= vertices_added);
}

TEST_CASE("a hidden series draws nothing, just like one made only of gaps") {
    test::Headless ui(kDisplay);
    ChartSpec spec = two_series_spec();
    // Fixed y range and no legend entry for the bars: all else stays identical.
    spec.y_min = 0.0;
    spec.y_max = 10.0;
    spec.series[1].name.clear();
    auto vertices = [&] {
        int added = 0;
        frame(ui, [&] {
            ImDrawList* draw = ImGui::GetWindowDrawList();
            const int before = draw->VtxBuffer.Size;
            ui::draw_chart("chart", spec, kChartSize);
            added = draw->VtxBuffer.Size - before;
        });
        return added;
    };
    const int with_bars = vertices();
    spec.series[1].visible = false;
    const int hidden = vertices();
    spec.series[1].visible = true;
    spec.series[1].y.assign(4, std::nullopt);
    const int only_gaps = vertices();
    CHECK(hidden == only_gaps);
    CHECK(with_bars - hidden == 4 * 4);  // four filled rectangles of 4 vertices
}

TEST_CASE("a sparkline draws its line and a gap-only one draws nothing, both taking space") {
    test::Headless ui(kDisplay);
    int with_values = 0;
    int only_gaps = 0;
    float advanced = 0.0f;
    frame(ui, [&] {
        ImDrawList* draw = ImGui::GetWindowDrawList();
        int before = draw->VtxBuffer.Size;
        ui::draw_sparkline({0.2, 0.4, std::nullopt, 0.3, 0.8}, ImVec2(80.0f, 16.0f), palette::repair, 0.0, 1.0);
        with_values = draw->VtxBuffer.Size - before;
        before = draw->VtxBuffer.Size;
        const float top = ImGui::GetCursorScreenPos().y;
        ui::draw_sparkline({std::nullopt, std::nullopt}, ImVec2(80.0f, 16.0f), palette::repair);
        only_gaps = draw->VtxBuffer.Size - before;
        advanced = ImGui::GetCursorScreenPos().y - top;
    });
    CHECK(with_values > 0);
    CHECK(only_gaps == 0);
    CHECK(advanced >= 16.0f);
}

// [SECTION] Hovering (the pointer moves; no button)

TEST_CASE("hovering near a point picks it and opens a tooltip") {
    LoneChart chart;
    chart.draw();  // the window must exist for a frame before it can be hovered
    const ChartLayout layout = chart.layout;
    // Rupture in session 2 (value 5), approached from 3 px left and 2 px up.
    const PixelPoint p = layout.transform.to_pixel(2.0, 5.0);
    const ImVec2 near_point(static_cast<float>(p.x - 3.0), static_cast<float>(p.y - 2.0));
    // High in the plot, between sessions 3 and 4: nothing within reach.
    const ImVec2 empty_corner = to_imvec(layout.transform.to_pixel(3.5, layout.transform.y_range().hi - 0.1));

    chart.hover(empty_corner);
    chart.draw();
    CHECK_FALSE(chart.events.hovered.has_value());
    CHECK_FALSE(chart.ui.window_shown("##Tooltip"));

    chart.hover(near_point);
    CHECK(chart.events.hovered == PointRef{0, 1});
    chart.draw();  // ImGui sizes a new tooltip in its first frame and shows it in the next
    CHECK(chart.events.hovered == PointRef{0, 1});
    CHECK(chart.ui.window_shown("##Tooltip"));
    CHECK_FALSE(chart.events.clicked.has_value());  // hovering is not clicking
}

TEST_CASE("hovering inside a bar picks the bar, not the line beside it") {
    LoneChart chart;
    chart.draw();
    const auto bar = bar_rect(chart.spec, chart.layout, {1, 2});
    REQUIRE(bar.has_value());
    chart.hover(centre_of(*bar));
    CHECK(chart.events.hovered == PointRef{1, 2});
}

// [SECTION] Clicking, in the case trends view

namespace {

// Case "Couple Order" (session_data.h) open in the case trends view, on a
// display tall enough for the chart grid without scrolling.
struct TrendsView {
    test::TempDir dir;
    test::Headless ui{ImVec2(1600.0f, 1200.0f)};
    Case info;
    std::vector<Session> sessions;  // date order

    TrendsView() {
        auto practice = test::new_practice(dir / "practice.db");
        info = test::add_case_out_of_date_order(*practice);
        sessions = services::list_sessions(*practice, info.id);
        ui.shell().model().set_practice(std::move(practice));
        ui.shell().model().open_case(info.id);
        ui.run_frames(3);
    }
    const ChartSpec& chart(std::size_t i) {
        REQUIRE(ui.shell().model().shown_trend_charts() != nullptr);
        return ui.shell().model().shown_trend_charts()->at(i);
    }

    // Whether any item is under the pointer at `at` (two frames: ImGui also
    // counts the item hovered in the frame before).
    bool item_at(ImVec2 at) {
        ui.move_mouse(at);
        ui.run_frames(2);
        return ImGui::IsAnyItemHovered();
    }
    // The last point from `start`, in steps of (dx, dy), still over an item.
    ImVec2 last_over_item(ImVec2 start, float dx, float dy) {
        ImVec2 at = start;
        while (item_at(ImVec2(at.x + dx, at.y + dy)))
            at = ImVec2(at.x + dx, at.y + dy);
        return at;
    }
    // The first chart's rectangle on screen: its invisible button is found,
    // then its edges by moving the pointer out until no item is under it (the
    // charts are spaced apart by ImGui's item spacing, more than 3 px).
    PixelRect first_chart_frame() {
        const auto inside = ui.find_item("/charts_", {"chart0", "##chart"});
        REQUIRE(inside.has_value());
        const float left = last_over_item(*inside, -1, 0).x;
        const float top = last_over_item(*inside, 0, -1).y;
        const float right = last_over_item(last_over_item(*inside, 3, 0), 1, 0).x + 1;
        const float bottom = last_over_item(last_over_item(*inside, 0, 3), 0, 1).y + 1;
        ui.move_mouse(ImVec2(-1, -1));
        ui.run_frames(1);
        return {left, top, right, bottom};
    }
    // The layout of chart `i` drawn in `frame_rect`, computed in a frame of the shell.
    ChartLayout layout_of(std::size_t i, const PixelRect& frame_rect) {
        ChartLayout layout;
        ui.run_frame_with([&] {
            ui.shell().frame();
            layout = layout_at(chart(i), frame_rect);
        });
        return layout;
    }
};

}  // namespace

TEST_CASE("clicking a trend chart's legend entry hides its series, and again shows it") {
    TrendsView view;
    REQUIRE(view.chart(0).title == "Repair rate (ruptures repaired)");
    const ChartLayout layout = view.layout_of(0, view.first_chart_frame());
    REQUIRE(layout.legend.size() == 1);
    const ImVec2 entry = centre_of(layout.legend[0].box);

    REQUIRE(view.chart(0).series[0].visible);
    view.ui.click(entry);
    CHECK_FALSE(view.chart(0).series[0].visible);
    CHECK(view.ui.shell().model().screen() == ui::Screen::CaseTrends);
    view.ui.move_mouse(entry);
    view.ui.run_frames(2);  // hovering alone changes nothing
    CHECK_FALSE(view.chart(0).series[0].visible);
    view.ui.click(entry);
    CHECK(view.chart(0).series[0].visible);
}

TEST_CASE("clicking a trend chart's point opens that session, placed in date order") {
    TrendsView view;
    const ChartLayout layout = view.layout_of(0, view.first_chart_frame());
    // x = 2 is the second session in date order: S1 (2026-03-10), repair rate 0.5.
    REQUIRE(view.sessions.at(1).number == 1);
    const ImVec2 point = to_imvec(layout.transform.to_pixel(2.0, 0.5));

    view.ui.move_mouse(point);
    view.ui.run_frames(3);                     // a new tooltip is sized in its first frame, shown in the next
    CHECK(view.ui.window_shown("##Tooltip"));  // hovering shows the point's values
    CHECK(view.ui.shell().model().screen() == ui::Screen::CaseTrends);
    view.ui.click(point);
    CHECK(view.ui.shell().model().screen() == ui::Screen::Review);
    CHECK(view.ui.shell().model().current_session() == view.sessions[1].id);
}
