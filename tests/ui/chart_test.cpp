// Drives ui/chart through real ImGui frames with no renderer backend.
#include "ui/chart.h"

#include <catch2/catch_test_macros.hpp>

#include <functional>

using namespace attune;

namespace {

// Local until the shared fixture in tests/ui/headless.h exists; it hides the
// ImGui 1.86 input fields (MousePos, MouseDown) that 1.87 replaced with events.
class Headless {
public:
    Headless() : context_(ImGui::CreateContext()) {
        ImGuiIO& io = ImGui::GetIO();
        io.DisplaySize = ImVec2(800.0f, 600.0f);
        io.DeltaTime = 1.0f / 60.0f;
        io.IniFilename = nullptr;
        io.LogFilename = nullptr;
        unsigned char* pixels = nullptr;
        int width = 0;
        int height = 0;
        io.Fonts->GetTexDataAsRGBA32(&pixels, &width, &height);
    }
    ~Headless() { ImGui::DestroyContext(context_); }
    Headless(const Headless&) = delete;
    Headless& operator=(const Headless&) = delete;

    // One full frame with `body` inside a window covering the display.
    void frame(const std::function<void()>& body) {
        ImGui::NewFrame();
        ImGui::SetNextWindowPos(ImVec2(0.0f, 0.0f));
        ImGui::SetNextWindowSize(ImGui::GetIO().DisplaySize);
        ImGui::Begin("chart test", nullptr,
                     ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                         ImGuiWindowFlags_NoSavedSettings);
        body();
        ImGui::End();
        ImGui::Render();
    }

    void move_mouse(ImVec2 pos) { ImGui::GetIO().MousePos = pos; }

    // A click is two frames: button down, then up (the chart acts on release).
    void click(ImVec2 pos, const std::function<void()>& body) {
        move_mouse(pos);
        ImGui::GetIO().MouseDown[0] = true;
        frame(body);
        ImGui::GetIO().MouseDown[0] = false;
        frame(body);
    }

private:
    ImGuiContext* context_;
};

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

const ImVec2 chart_size(600.0f, 320.0f);

// Where draw_chart put things, found with the same core layout and ImGui text
// measurement it uses; must run inside a frame, where fonts are set.
ChartLayout layout_at(const ChartSpec& spec, ImVec2 origin) {
    TextMetrics metrics;
    metrics.line_height = ImGui::GetTextLineHeight();
    metrics.width = [](std::string_view text) {
        return static_cast<double>(ImGui::CalcTextSize(text.data(), text.data() + text.size()).x);
    };
    const PixelRect frame{origin.x, origin.y, origin.x + chart_size.x, origin.y + chart_size.y};
    return layout_chart(spec, frame, metrics);
}

ImVec2 centre_of(const PixelRect& rect) {
    return {static_cast<float>((rect.x0 + rect.x1) / 2.0),
            static_cast<float>((rect.y0 + rect.y1) / 2.0)};
}

}  // namespace

TEST_CASE("a chart fills the draw list and takes its size in the layout") {
    Headless imgui;
    ChartSpec spec = two_series_spec();
    int vertices_added = 0;
    float cursor_moved = 0.0f;
    imgui.frame([&] {
        ImDrawList* draw = ImGui::GetWindowDrawList();
        const int before = draw->VtxBuffer.Size;
        const float top = ImGui::GetCursorScreenPos().y;
        ui::draw_chart("chart", spec, chart_size);
        vertices_added = draw->VtxBuffer.Size - before;
        cursor_moved = ImGui::GetCursorScreenPos().y - top;
    });
    REQUIRE(vertices_added > 200);
    REQUIRE(cursor_moved >= chart_size.y);
    REQUIRE(ImGui::GetDrawData()->TotalVtxCount >= vertices_added);
}

TEST_CASE("a hidden series draws nothing, just like one made only of gaps") {
    Headless imgui;
    ChartSpec spec = two_series_spec();
    // Fixed y range and no legend entry for the bars: all else stays identical.
    spec.y_min = 0.0;
    spec.y_max = 10.0;
    spec.series[1].name.clear();
    auto vertices = [&] {
        int added = 0;
        imgui.frame([&] {
            ImDrawList* draw = ImGui::GetWindowDrawList();
            const int before = draw->VtxBuffer.Size;
            ui::draw_chart("chart", spec, chart_size);
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
    REQUIRE(hidden == only_gaps);
    REQUIRE(with_bars - hidden == 4 * 4);  // four filled rectangles of 4 vertices
}

TEST_CASE("clicking a legend entry toggles its series, and again brings it back") {
    Headless imgui;
    ChartSpec spec = two_series_spec();
    ui::ChartEvents events;
    ImVec2 origin;
    auto body = [&] {
        origin = ImGui::GetCursorScreenPos();
        ui::draw_chart("chart", spec, chart_size, &events);
    };
    imgui.frame(body);  // the window must exist for a frame before it can be hovered
    imgui.frame(body);
    std::optional<ImVec2> repairs_entry;
    imgui.frame([&] {
        body();
        for (const LegendEntry& entry : layout_at(spec, origin).legend) {
            if (entry.series == 1) {
                repairs_entry = centre_of(entry.box);
            }
        }
    });
    REQUIRE(repairs_entry.has_value());

    imgui.click(*repairs_entry, body);
    REQUIRE_FALSE(spec.series[1].visible);
    REQUIRE(spec.series[0].visible);
    REQUIRE(events.toggled_series == std::size_t{1});

    imgui.frame(body);  // hovering alone changes nothing
    REQUIRE_FALSE(spec.series[1].visible);
    REQUIRE_FALSE(events.toggled_series.has_value());

    imgui.click(*repairs_entry, body);
    REQUIRE(spec.series[1].visible);
}

TEST_CASE("hovering near a point picks it and opens a tooltip") {
    Headless imgui;
    ChartSpec spec = two_series_spec();
    ui::ChartEvents events;
    ImVec2 origin;
    auto body = [&] {
        origin = ImGui::GetCursorScreenPos();
        ui::draw_chart("chart", spec, chart_size, &events);
    };
    imgui.frame(body);
    ImVec2 near_point;
    ImVec2 empty_corner;
    imgui.frame([&] {
        body();
        const ChartLayout layout = layout_at(spec, origin);
        // Rupture in session 2 (value 5), approached from 3 px left and 2 px up.
        const PixelPoint p = layout.transform.to_pixel(2.0, 5.0);
        near_point = ImVec2(static_cast<float>(p.x - 3.0), static_cast<float>(p.y - 2.0));
        // High in the plot, between sessions 3 and 4: nothing within reach.
        const PixelPoint nothing =
            layout.transform.to_pixel(3.5, layout.transform.y_range().hi - 0.1);
        empty_corner = ImVec2(static_cast<float>(nothing.x), static_cast<float>(nothing.y));
    });

    imgui.move_mouse(empty_corner);
    imgui.frame(body);
    imgui.frame(body);
    REQUIRE_FALSE(events.hovered.has_value());
    const int windows_without_tooltip = ImGui::GetDrawData()->CmdListsCount;

    imgui.move_mouse(near_point);
    imgui.frame(body);
    REQUIRE(events.hovered == PointRef{0, 1});
    imgui.frame(body);  // ImGui sizes a new tooltip in its first frame and shows it in the next
    REQUIRE(events.hovered == PointRef{0, 1});
    REQUIRE(ImGui::GetDrawData()->CmdListsCount == windows_without_tooltip + 1);
}

TEST_CASE("hovering inside a bar picks the bar, not the line beside it") {
    Headless imgui;
    ChartSpec spec = two_series_spec();
    ui::ChartEvents events;
    ImVec2 origin;
    auto body = [&] {
        origin = ImGui::GetCursorScreenPos();
        ui::draw_chart("chart", spec, chart_size, &events);
    };
    imgui.frame(body);
    ImVec2 inside_bar;
    imgui.frame([&] {
        body();
        const ChartLayout layout = layout_at(spec, origin);
        inside_bar = centre_of(*bar_rect(spec, layout, {1, 2}));
    });
    imgui.move_mouse(inside_bar);
    imgui.frame(body);
    REQUIRE(events.hovered == PointRef{1, 2});
}

TEST_CASE("clicking a point reports it once, on release") {
    Headless imgui;
    ChartSpec spec = two_series_spec();
    ui::ChartEvents events;
    ImVec2 origin;
    int clicks = 0;
    auto body = [&] {
        origin = ImGui::GetCursorScreenPos();
        if (ui::draw_chart("chart", spec, chart_size, &events)) {
            ++clicks;
        }
    };
    imgui.frame(body);
    ImVec2 session_4;
    imgui.frame([&] {
        body();
        const PixelPoint p = layout_at(spec, origin).transform.to_pixel(4.0, 3.0);
        session_4 = ImVec2(static_cast<float>(p.x), static_cast<float>(p.y));
    });
    imgui.click(session_4, body);
    REQUIRE(clicks == 1);
    REQUIRE(events.clicked == PointRef{0, 3});
    REQUIRE(spec.series[0].x[events.clicked->index] == 4.0);
    imgui.frame(body);
    REQUIRE(clicks == 1);
    REQUIRE_FALSE(events.clicked.has_value());
}

TEST_CASE("a sparkline draws its line and a gap-only one draws nothing, both taking space") {
    Headless imgui;
    int with_values = 0;
    int only_gaps = 0;
    float advanced = 0.0f;
    imgui.frame([&] {
        ImDrawList* draw = ImGui::GetWindowDrawList();
        int before = draw->VtxBuffer.Size;
        ui::draw_sparkline({0.2, 0.4, std::nullopt, 0.3, 0.8}, ImVec2(80.0f, 16.0f),
                           palette::repair, 0.0, 1.0);
        with_values = draw->VtxBuffer.Size - before;
        before = draw->VtxBuffer.Size;
        const float top = ImGui::GetCursorScreenPos().y;
        ui::draw_sparkline({std::nullopt, std::nullopt}, ImVec2(80.0f, 16.0f), palette::repair);
        only_gaps = draw->VtxBuffer.Size - before;
        advanced = ImGui::GetCursorScreenPos().y - top;
    });
    REQUIRE(with_values > 0);
    REQUIRE(only_gaps == 0);
    REQUIRE(advanced >= 16.0f);
}
