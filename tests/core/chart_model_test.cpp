#include "core/chart_model.h"

#include <catch2/catch_approx.hpp>
#include <catch2/catch_test_macros.hpp>

#include <cmath>
#include <limits>

using namespace attune;
using Catch::Approx;

namespace {

Series series(std::string name, std::vector<double> x, std::vector<std::optional<double>> y,
              SeriesStyle style = SeriesStyle::Line) {
    Series one;
    one.name = std::move(name);
    one.x = std::move(x);
    one.y = std::move(y);
    one.style = style;
    return one;
}

// Fixed-width text so that layout numbers can be worked out by hand.
TextMetrics fixed_metrics() {
    TextMetrics metrics;
    metrics.line_height = 10.0;
    metrics.width = [](std::string_view text) {
        return 6.0 * static_cast<double>(text.size());
    };
    return metrics;
}

const PixelRect frame{0.0, 0.0, 400.0, 300.0};

}  // namespace

// [SECTION] Ticks and ranges

TEST_CASE("nice ticks over 0..1 in five steps are exact multiples of 0.2") {
    // Exact comparison on purpose: 3 × 0.2 accumulated would be 0.6000000000000001.
    REQUIRE(nice_ticks(0.0, 1.0, 5) == std::vector<double>{0.0, 0.2, 0.4, 0.6, 0.8, 1.0});
    REQUIRE(nice_step(0.0, 1.0, 5) == 0.2);
}

TEST_CASE("nice ticks extend past the data to the next whole step") {
    REQUIRE(nice_ticks(0.0, 7.3, 6) == std::vector<double>{0.0, 2.0, 4.0, 6.0, 8.0});
    REQUIRE(nice_ticks(-3.0, 12.0, 5) == std::vector<double>{-5.0, 0.0, 5.0, 10.0, 15.0});
    REQUIRE(nice_ticks(-7.3, -0.4, 5) == std::vector<double>{-8.0, -6.0, -4.0, -2.0, 0.0});
}

TEST_CASE("a 2.5 step is used when it fits best") {
    REQUIRE(nice_ticks(0.0, 10.0, 4) == std::vector<double>{0.0, 2.5, 5.0, 7.5, 10.0});
}

TEST_CASE("nice ticks never need more intervals than asked for") {
    // Step 0.2 would cover 0..1.2 in six intervals; 0.25 covers 0..1.25 in five.
    const auto ticks = nice_ticks(0.1, 1.05, 5);
    REQUIRE(ticks == std::vector<double>{0.0, 0.25, 0.5, 0.75, 1.0, 1.25});
}

TEST_CASE("reversed bounds give the same ticks; empty or broken ranges give none") {
    REQUIRE(nice_ticks(1.0, 0.0, 5) == nice_ticks(0.0, 1.0, 5));
    REQUIRE(nice_ticks(3.0, 3.0, 5).empty());
    REQUIRE(nice_ticks(0.0, std::numeric_limits<double>::quiet_NaN(), 5).empty());
    REQUIRE(nice_ticks(0.0, std::numeric_limits<double>::infinity(), 5).empty());
    REQUIRE(nice_step(2.0, 2.0, 5) == 0.0);
}

TEST_CASE("nice range widens data to the outer ticks") {
    const AxisRange range = nice_range(0.0, 7.3, 6);
    REQUIRE(range.lo == 0.0);
    REQUIRE(range.hi == 8.0);
    const AxisRange negative = nice_range(-7.3, -0.4, 5);
    REQUIRE(negative.lo == -8.0);
    REQUIRE(negative.hi == 0.0);
}

TEST_CASE("nice range around a single value is centred on it") {
    // 5 is widened to 4.5..5.5; a 0.2 step would need 4.4..5.6 (six intervals).
    const AxisRange around_five = nice_range(5.0, 5.0, 5);
    REQUIRE(around_five.lo == 4.5);
    REQUIRE(around_five.hi == 5.5);
    const AxisRange around_zero = nice_range(0.0, 0.0, 5);
    REQUIRE(around_zero.lo == -1.0);
    REQUIRE(around_zero.hi == 1.0);
}

TEST_CASE("no data at all gives the unit range") {
    const AxisRange range = nice_range(std::nullopt, 5);
    REQUIRE(range.lo == 0.0);
    REQUIRE(range.hi == 1.0);
}

TEST_CASE("tick labels have as many decimals as the step needs") {
    REQUIRE(format_tick(10.0, 5.0) == "10");
    REQUIRE(format_tick(2.5, 2.5) == "2.5");
    REQUIRE(format_tick(5.0, 2.5) == "5.0");
    REQUIRE(format_tick(0.75, 0.25) == "0.75");
    REQUIRE(format_tick(0.6000000000000001, 0.2) == "0.6");
    REQUIRE(format_tick(1500.0, 500.0) == "1500");
}

TEST_CASE("a tick at a rounding error below zero reads as zero, unsigned") {
    REQUIRE(format_tick(-1e-17, 0.2) == "0.0");
    REQUIRE(format_value(-0.0001) == "0");
}

TEST_CASE("percent ticks and values multiply by 100") {
    REQUIRE(format_tick(0.25, 0.05, true) == "25%");
    REQUIRE(format_tick(0.125, 0.025, true) == "12.5%");
    REQUIRE(format_value(0.4567, true) == "45.7%");
    REQUIRE(format_value(1.0, true) == "100%");
}

TEST_CASE("exact values keep up to three decimals and drop trailing zeros") {
    REQUIRE(format_value(3.0) == "3");
    REQUIRE(format_value(2.5) == "2.5");
    REQUIRE(format_value(1.23456) == "1.235");
    REQUIRE(format_value(-12.0) == "-12");
}

// [SECTION] Pixel mapping

TEST_CASE("the transform maps the data corners onto the plot corners, y flipped") {
    const Transform t({100.0, 50.0, 500.0, 350.0}, {0.0, 10.0}, {0.0, 3.0});
    REQUIRE(t.to_pixel_x(0.0) == 100.0);
    REQUIRE(t.to_pixel_x(10.0) == 500.0);
    REQUIRE(t.to_pixel_y(0.0) == 350.0);  // data bottom = pixel bottom
    REQUIRE(t.to_pixel_y(3.0) == 50.0);
    const PixelPoint middle = t.to_pixel(5.0, 1.5);
    REQUIRE(middle.x == 300.0);
    REQUIRE(middle.y == 200.0);
}

TEST_CASE("the inverse transform round-trips") {
    const Transform t({12.0, 7.0, 333.0, 219.0}, {-4.0, 17.5}, {0.25, 0.75});
    for (double x : {-4.0, 0.0, 3.7, 17.5}) {
        REQUIRE(t.to_data_x(t.to_pixel_x(x)) == Approx(x).margin(1e-12));
    }
    for (double y : {0.25, 0.5, 0.61}) {
        REQUIRE(t.to_data_y(t.to_pixel_y(y)) == Approx(y).margin(1e-12));
    }
    REQUIRE(t.to_pixel_y(t.to_data_y(100.0)) == Approx(100.0));
}

TEST_CASE("a zero-span range maps its single value to the centre") {
    const Transform t({0.0, 0.0, 100.0, 100.0}, {5.0, 5.0}, {2.0, 2.0});
    REQUIRE(t.to_pixel_x(5.0) == 50.0);
    REQUIRE(t.to_pixel_y(2.0) == 50.0);
}

TEST_CASE("distance to a rectangle is zero inside and Euclidean outside") {
    const PixelRect rect{10.0, 10.0, 20.0, 30.0};
    REQUIRE(distance_to_rect({15.0, 20.0}, rect) == 0.0);
    REQUIRE(distance_to_rect({25.0, 20.0}, rect) == 5.0);
    REQUIRE(distance_to_rect({23.0, 34.0}, rect) == 5.0);  // 3-4-5 from the corner
}

// [SECTION] Bars

TEST_CASE("stacked bars pile up per x; a gap adds nothing and a hidden series is skipped") {
    std::vector<Series> all{
        series("a", {1, 2, 3}, {1.0, std::nullopt, 2.0}, SeriesStyle::StackedBars),
        series("hidden", {1, 2, 3}, {10.0, 10.0, 10.0}, SeriesStyle::StackedBars),
        series("b", {1, 2, 3}, {3.0, 4.0, 5.0}, SeriesStyle::StackedBars),
        series("plain", {1, 2, 3}, {7.0, 7.0, 7.0}, SeriesStyle::Bars),
    };
    all[1].visible = false;
    const auto spans = stack_bars(all);
    REQUIRE(spans.size() == 4);
    REQUIRE(spans[0].size() == 3);
    REQUIRE(spans[0][0].base == 0.0);
    REQUIRE(spans[0][0].top == 1.0);
    REQUIRE(spans[0][1].base == spans[0][1].top);  // the gap
    REQUIRE(spans[0][2].top == 2.0);
    REQUIRE(spans[1].empty());
    REQUIRE(spans[2][0].base == 1.0);
    REQUIRE(spans[2][0].top == 4.0);
    REQUIRE(spans[2][1].base == 0.0);  // on top of the gap, i.e. on zero
    REQUIRE(spans[2][1].top == 4.0);
    REQUIRE(spans[2][2].base == 2.0);
    REQUIRE(spans[2][2].top == 7.0);
    REQUIRE(spans[3].empty());
}

TEST_CASE("negative stacked values pile downward from zero on their own") {
    const std::vector<Series> all{
        series("a", {1}, {2.0}, SeriesStyle::StackedBars),
        series("b", {1}, {-1.0}, SeriesStyle::StackedBars),
        series("c", {1}, {3.0}, SeriesStyle::StackedBars),
        series("d", {1}, {-2.0}, SeriesStyle::StackedBars),
    };
    const auto spans = stack_bars(all);
    REQUIRE(spans[1][0].base == 0.0);
    REQUIRE(spans[1][0].top == -1.0);
    REQUIRE(spans[2][0].base == 2.0);
    REQUIRE(spans[2][0].top == 5.0);
    REQUIRE(spans[3][0].base == -1.0);
    REQUIRE(spans[3][0].top == -3.0);
}

TEST_CASE("grouped bars split the filled part of a slot evenly") {
    REQUIRE(grouped_bar(0, 3, 1.0, 0.9).offset == Approx(-0.3));
    REQUIRE(grouped_bar(1, 3, 1.0, 0.9).offset == Approx(0.0).margin(1e-12));
    REQUIRE(grouped_bar(2, 3, 1.0, 0.9).offset == Approx(0.3));
    REQUIRE(grouped_bar(2, 3, 1.0, 0.9).width == Approx(0.3));
    REQUIRE(grouped_bar(0, 1, 2.0).offset == 0.0);
    REQUIRE(grouped_bar(0, 1, 2.0).width == Approx(1.6));
}

TEST_CASE("the slot is the closest spacing of distinct x values") {
    REQUIRE(slot_width(
                {series("a", {1, 3, 7}, {1.0, 1.0, 1.0}), series("b", {3, 4}, {1.0, 1.0})}) == 1.0);
    REQUIRE(slot_width(std::vector<double>{2.0, 2.0}) == 1.0);
    REQUIRE(slot_width(std::vector<double>{0.0, 0.5, 2.0}) == 0.5);
}

TEST_CASE("the layout groups bars per series and all stacked series as one member") {
    ChartSpec spec;
    spec.series = {
        series("a", {1, 2}, {1.0, 2.0}, SeriesStyle::Bars),
        series("b", {1, 2}, {1.0, 2.0}, SeriesStyle::Bars),
        series("c", {1, 2}, {1.0, 2.0}, SeriesStyle::StackedBars),
        series("d", {1, 2}, {1.0, 2.0}, SeriesStyle::StackedBars),
        series("line", {1, 2}, {1.0, 2.0}),
    };
    ChartLayout layout = layout_chart(spec, frame, fixed_metrics());
    // Three members in a slot of 1 filled to 0.8: width 0.8 / 3 each.
    REQUIRE(layout.bars[0].offset == Approx(-0.8 / 3.0));
    REQUIRE(layout.bars[1].offset == Approx(0.0).margin(1e-12));
    REQUIRE(layout.bars[2].offset == Approx(0.8 / 3.0));
    REQUIRE(layout.bars[3].offset == layout.bars[2].offset);
    REQUIRE(layout.bars[4].width == 0.0);

    spec.series[1].visible = false;
    layout = layout_chart(spec, frame, fixed_metrics());
    REQUIRE(layout.bars[0].offset == Approx(-0.2));
    REQUIRE(layout.bars[2].offset == Approx(0.2));
    REQUIRE(!bar_rect(spec, layout, {1, 0}).has_value());
}

TEST_CASE("a stacked bar's rectangle spans its base to its top in pixels") {
    ChartSpec spec;
    spec.series = {series("a", {1}, {1.0}, SeriesStyle::StackedBars),
                   series("b", {1}, {3.0}, SeriesStyle::StackedBars)};
    const ChartLayout layout = layout_chart(spec, frame, fixed_metrics());
    const auto rect = bar_rect(spec, layout, {1, 0});
    REQUIRE(rect.has_value());
    const Transform& t = layout.transform;
    REQUIRE(rect->y0 == Approx(t.to_pixel_y(4.0)));
    REQUIRE(rect->y1 == Approx(t.to_pixel_y(1.0)));
    REQUIRE(rect->x0 == Approx(t.to_pixel_x(0.6)));
    REQUIRE(rect->x1 == Approx(t.to_pixel_x(1.4)));
}

// [SECTION] Layout

TEST_CASE("the plot sits inside the frame with every tick on its edges") {
    ChartSpec spec;
    spec.title = "Repair rate";
    spec.x_label = "Session";
    spec.y_label = "Rate";
    spec.series = {series("Repair rate", {1, 2, 3, 4}, {0.2, 0.35, std::nullopt, 0.6})};
    spec.y_percent = true;
    spec.y_min = 0.0;
    spec.y_max = 1.0;
    const ChartLayout layout = layout_chart(spec, frame, fixed_metrics());
    REQUIRE(layout.plot.x0 > frame.x0);
    REQUIRE(layout.plot.x1 < frame.x1);
    REQUIRE(layout.plot.y0 > layout.title_pos->y);
    REQUIRE(layout.plot.y1 < layout.x_label_pos->y);
    REQUIRE(layout.transform.y_range().lo == 0.0);
    REQUIRE(layout.transform.y_range().hi == 1.0);
    REQUIRE(layout.y_ticks.front().label == "0%");
    REQUIRE(layout.y_ticks.back().label == "100%");
    REQUIRE(layout.y_ticks.back().pixel == Approx(layout.plot.y0));
    for (const PlacedTick& tick : layout.x_ticks) {
        REQUIRE(tick.pixel >= layout.plot.x0);
        REQUIRE(tick.pixel <= layout.plot.x1);
    }
    REQUIRE(layout.legend.size() == 1);
    REQUIRE(layout.legend[0].box.y0 > layout.x_label_pos->y);
}

TEST_CASE("bars pull zero into the y range and reference lines are kept in view") {
    ChartSpec spec;
    spec.series = {series("ratio", {1, 2}, {2.0, 3.0}, SeriesStyle::Bars)};
    spec.reference_lines = {{5.0, "5:1", palette::reference}};
    const ChartLayout layout = layout_chart(spec, frame, fixed_metrics());
    REQUIRE(layout.transform.y_range().lo == 0.0);
    REQUIRE(layout.transform.y_range().hi >= 5.0);
    REQUIRE(layout.reference_lines.size() == 1);
    REQUIRE(layout.reference_lines[0].pixel_y == Approx(layout.transform.to_pixel_y(5.0)));
}

TEST_CASE("a reference line outside a fixed range is not placed") {
    ChartSpec spec;
    spec.series = {series("rate", {1, 2}, {0.2, 0.3})};
    spec.y_min = 0.0;
    spec.y_max = 1.0;
    spec.reference_lines = {{5.0, "5:1", palette::reference}, {0.5, "half", palette::reference}};
    const ChartLayout layout = layout_chart(spec, frame, fixed_metrics());
    REQUIRE(layout.reference_lines.size() == 1);
    REQUIRE(layout.reference_lines[0].index == 1);
}

TEST_CASE("hiding a series keeps the x axis where it was") {
    ChartSpec spec;
    spec.series = {series("a", {1, 2, 3}, {1.0, 2.0, 3.0}),
                   series("b", {1, 2, 10}, {1.0, 2.0, 3.0})};
    const ChartLayout before = layout_chart(spec, frame, fixed_metrics());
    spec.series[1].visible = false;
    const ChartLayout after = layout_chart(spec, frame, fixed_metrics());
    REQUIRE(after.transform.x_range().lo == before.transform.x_range().lo);
    REQUIRE(after.transform.x_range().hi == before.transform.x_range().hi);
}

TEST_CASE("crowded session labels are thinned evenly and never overlap") {
    ChartSpec spec;
    Series sessions = series("rate", {}, {});
    for (int s = 1; s <= 60; ++s) {
        sessions.x.push_back(s);
        sessions.y.push_back(1.0);
        spec.x_ticks.push_back({static_cast<double>(s), "S" + std::to_string(s)});
    }
    spec.series = {sessions};
    const TextMetrics metrics = fixed_metrics();
    const ChartLayout layout = layout_chart(spec, frame, metrics);
    REQUIRE(layout.x_ticks.size() < 60);
    REQUIRE(layout.x_ticks.size() >= 5);
    REQUIRE(layout.x_ticks.front().label == "S1");
    const double stride = layout.x_ticks[1].value - layout.x_ticks[0].value;
    for (std::size_t i = 1; i < layout.x_ticks.size(); ++i) {
        REQUIRE(layout.x_ticks[i].value - layout.x_ticks[i - 1].value == stride);
        const double previous_right =
            layout.x_ticks[i - 1].label_pos.x + metrics.measure(layout.x_ticks[i - 1].label);
        REQUIRE(layout.x_ticks[i].label_pos.x > previous_right);
    }
}

TEST_CASE("bands are clipped to the plot and keep their spec index") {
    ChartSpec spec;
    spec.series = {series("a", {1, 2, 3, 4, 5, 6}, {1.0, 1.0, 1.0, 1.0, 1.0, 1.0})};
    spec.x_ticks = {{1, "S1"}, {6, "S6"}};
    spec.bands = {{-10.0, 3.5, "Stage 1", palette::stage_1_band},
                  {50.0, 60.0, "off the chart", palette::stage_2_band},
                  {3.5, 6.5, "Stage 2", palette::stage_2_band}};
    const ChartLayout layout = layout_chart(spec, frame, fixed_metrics());
    REQUIRE(layout.bands.size() == 2);
    REQUIRE(layout.bands[0].index == 0);
    REQUIRE(layout.bands[0].rect.x0 == layout.plot.x0);
    REQUIRE(layout.bands[0].rect.x1 == Approx(layout.transform.to_pixel_x(3.5)));
    REQUIRE(layout.bands[1].index == 2);
    REQUIRE(layout.bands[1].rect.x1 == Approx(layout.plot.x1));
}

TEST_CASE("band labels sit in a strip above the plot, so a bar up to the top never covers them") {
    ChartSpec spec;
    spec.y_max = 4.0;
    Series bars = series("ruptures", {1, 2, 3}, {4.0, 4.0, 4.0});  // every bar reaches the top
    bars.style = SeriesStyle::Bars;
    spec.series = {bars};
    spec.x_ticks = {{1, "S1"}, {2, "S2"}, {3, "S3"}};
    spec.bands = {{0.5, 2.5, "Stage 1", palette::stage_1_band}, {2.5, 3.5, "Stage 2", palette::stage_2_band}};
    const TextMetrics metrics = fixed_metrics();
    const ChartLayout layout = layout_chart(spec, frame, metrics);
    REQUIRE(layout.bands.size() == 2);
    for (std::size_t b = 0; b < 3; ++b) {
        const auto bar = bar_rect(spec, layout, {0, b});
        REQUIRE(bar);
        CHECK(bar->y0 == Approx(layout.plot.y0));  // the bar touches the plot's top edge
        for (const PlacedBand& band : layout.bands) {
            INFO(band.label);
            // The label's box ends above the plot, where no bar can reach.
            CHECK(band.label_pos.y + metrics.line_height <= layout.plot.y0);
            CHECK(band.label_pos.y >= layout.frame.y0);
            CHECK(band.label_pos.x >= band.rect.x0);
            CHECK(band.label_pos.x + metrics.measure(band.label) <= band.rect.x1);
            // The shading reaches up into the strip, tying the label to its band.
            CHECK(band.rect.y0 <= band.label_pos.y);
            CHECK(band.rect.y1 == layout.plot.y1);
        }
    }
}

TEST_CASE("a band label too long for its band is shortened, not drawn into the next band") {
    ChartSpec spec;
    spec.series = {series("a", {1, 2, 3, 4, 5, 6, 7, 8}, {1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0})};
    spec.bands = {{0.5, 1.5, "Stage 1 (de-escalation)", palette::stage_1_band},
                  {1.5, 8.5, "Stage 2", palette::stage_2_band}};
    const TextMetrics metrics = fixed_metrics();
    const ChartLayout layout = layout_chart(spec, PixelRect{0, 0, 300, 150}, metrics);
    REQUIRE(layout.bands.size() == 2);
    CHECK(layout.bands[0].label != "Stage 1 (de-escalation)");
    CHECK(layout.bands[0].label.find("\xE2\x80\xA6") != std::string::npos);
    CHECK(layout.bands[0].label_pos.x + metrics.measure(layout.bands[0].label) <= layout.bands[1].rect.x0);
    CHECK(layout.bands[1].label == "Stage 2");
}

TEST_CASE("a legend name wider than the chart is shortened and stays inside the frame") {
    ChartSpec spec;
    spec.series = {series("Attunement to partner, Maëlys-Éléonore Castañeda-Øvergård", {1, 2}, {1.0, 2.0}),
                   series("Safety", {1, 2}, {3.0, 4.0})};
    const TextMetrics metrics = fixed_metrics();
    const PixelRect narrow{0, 0, 200, 200};
    const ChartLayout layout = layout_chart(spec, narrow, metrics);
    REQUIRE(layout.legend.size() == 2);
    CHECK(layout.legend[0].text != spec.series[0].name);
    CHECK(layout.legend[0].text.rfind("Attunement", 0) == 0);
    for (const LegendEntry& entry : layout.legend) {
        INFO(entry.text);
        CHECK(entry.text_pos.x + metrics.measure(entry.text) <= narrow.x1);
        CHECK(entry.box.x1 <= narrow.x1);
    }
    CHECK(layout.legend[1].text == "Safety");
}

TEST_CASE("a chart without bands keeps its plot as high as before: the strip is only for band labels") {
    ChartSpec plain;
    plain.series = {series("a", {1, 2, 3}, {1.0, 2.0, 3.0})};
    ChartSpec banded = plain;
    banded.bands = {{0.5, 3.5, "Stage 1", palette::stage_1_band}};
    const TextMetrics metrics = fixed_metrics();
    const ChartLayout without = layout_chart(plain, frame, metrics);
    const ChartLayout with = layout_chart(banded, frame, metrics);
    CHECK(with.plot.y0 > without.plot.y0);
    CHECK(with.plot.y1 == without.plot.y1);
}

TEST_CASE("a y band spans the plot's width between its values, clipped to the y range") {
    ChartSpec spec;
    spec.series = {series("total", {1, 2}, {10.0, 15.0})};
    spec.y_min = 0.0;
    spec.y_max = 21.0;
    spec.y_bands = {{0.0, 13.5, "clinical range", palette::clinical_band},
                    {30.0, 40.0, "above the axis", palette::clinical_band},
                    {25.0, 15.0, "reversed, cut at the top", palette::clinical_band}};
    const ChartLayout layout = layout_chart(spec, frame, fixed_metrics());
    REQUIRE(layout.y_bands.size() == 2);
    CHECK(layout.y_bands[0].index == 0);
    CHECK(layout.y_bands[0].rect.x0 == layout.plot.x0);
    CHECK(layout.y_bands[0].rect.x1 == layout.plot.x1);
    CHECK(layout.y_bands[0].rect.y1 == Approx(layout.plot.y1));  // 0 is the bottom of the axis
    CHECK(layout.y_bands[0].rect.y0 == Approx(layout.transform.to_pixel_y(13.5)));
    CHECK(layout.y_bands[0].label_pos.y > layout.y_bands[0].rect.y0);
    CHECK(layout.y_bands[1].index == 2);
    CHECK(layout.y_bands[1].rect.y0 == Approx(layout.plot.y0));  // 25 is above 21: cut at the plot's top
    CHECK(layout.y_bands[1].rect.y1 == Approx(layout.transform.to_pixel_y(15.0)));
}

// [SECTION] Picking and decimation

TEST_CASE("the nearest point is picked within the radius and not beyond it") {
    ChartSpec spec;
    spec.series = {series("a", {1, 2, 3}, {1.0, 2.0, 3.0}),
                   series("b", {1, 2, 3}, {1.5, 2.5, 3.5})};
    const ChartLayout layout = layout_chart(spec, frame, fixed_metrics());
    const PixelPoint a2 = layout.transform.to_pixel(2.0, 2.0);
    const auto picked = nearest_point(spec, layout, {a2.x + 3.0, a2.y + 2.0}, 8.0);
    REQUIRE(picked == PointRef{0, 1});
    const PixelPoint b3 = layout.transform.to_pixel(3.0, 3.5);
    REQUIRE(nearest_point(spec, layout, {b3.x - 1.0, b3.y}, 8.0) == PointRef{1, 2});
    REQUIRE(!nearest_point(spec, layout, {a2.x, a2.y + 9.0}, 8.0).has_value());
}

TEST_CASE("a hidden series and a gap are never picked") {
    ChartSpec spec;
    spec.series = {series("a", {1, 2, 3}, {1.0, std::nullopt, 3.0}),
                   series("b", {1, 2, 3}, {1.0, 2.0, 3.0})};
    const ChartLayout layout = layout_chart(spec, frame, fixed_metrics());
    const PixelPoint on_a1 = layout.transform.to_pixel(1.0, 1.0);
    REQUIRE(nearest_point(spec, layout, on_a1, 6.0) == PointRef{0, 0});  // tie: earlier series
    spec.series[0].visible = false;
    REQUIRE(nearest_point(spec, layout, on_a1, 6.0) == PointRef{1, 0});
    spec.series[1].visible = false;
    REQUIRE(!nearest_point(spec, layout, on_a1, 6.0).has_value());
}

TEST_CASE("inside a bar picks the bar, but a marker over the bar wins") {
    ChartSpec spec;
    spec.series = {series("bars", {1, 2}, {4.0, 4.0}, SeriesStyle::Bars),
                   series("line", {1, 2}, {2.0, 3.0}, SeriesStyle::LineWithMarkers)};
    const ChartLayout layout = layout_chart(spec, frame, fixed_metrics());
    const PixelPoint inside = layout.transform.to_pixel(1.1, 3.5);
    REQUIRE(nearest_point(spec, layout, inside, 4.0) == PointRef{0, 0});
    const PixelPoint marker = layout.transform.to_pixel(2.0, 3.0);
    REQUIRE(nearest_point(spec, layout, marker, 4.0) == PointRef{1, 1});
    // Still the marker a pixel off its centre, though the mouse is inside the bar.
    REQUIRE(nearest_point(spec, layout, {marker.x + 1.0, marker.y + 1.0}, 4.0) == PointRef{1, 1});
    // Beyond the marker's radius, the bar under the mouse is nearer.
    const double beyond = layout.marker_radius + 1.0;
    REQUIRE(nearest_point(spec, layout, {marker.x, marker.y + beyond}, 8.0) == PointRef{0, 1});
}

TEST_CASE("decimation keeps the first, lowest, highest and last of close points, and gaps") {
    // One pixel per x unit; points closer than 4 pixels share a bucket.
    const Transform t({0.0, 0.0, 10.0, 10.0}, {0.0, 10.0}, {0.0, 10.0});
    const std::vector<double> x{0, 1, 2, 3, 4, 5, 6, 7};
    const std::vector<std::optional<double>> y{1.0, 5.0, 2.0, 4.0, 3.0, std::nullopt, 3.0, 3.0};
    // Bucket 0..3: first 0, lowest 0, highest 1, last 3 (index 2 goes);
    // 4 starts a bucket that the gap at 5 ends; 6..7 is the last bucket.
    REQUIRE(decimate(x, y, t, 4.0) == std::vector<std::size_t>{0, 1, 3, 4, 5, 6, 7});
    REQUIRE(decimate(x, y, t, 0.5).size() == 8);
}

TEST_CASE("decimation keeps a lone spike in a long dense series") {
    std::vector<double> x;
    std::vector<std::optional<double>> y;
    for (int i = 0; i < 10000; ++i) {
        x.push_back(i);
        y.push_back(std::sin(i * 0.01));
    }
    y[5003] = 50.0;
    y[7777] = -50.0;
    const Transform t({0.0, 0.0, 200.0, 100.0}, {0.0, 9999.0}, {-50.0, 50.0});
    const auto kept = decimate(x, y, t, 2.0);
    REQUIRE(kept.size() <= 4 * 101);
    REQUIRE(kept.front() == 0);
    REQUIRE(kept.back() == 9999);
    REQUIRE(std::find(kept.begin(), kept.end(), 5003) != kept.end());
    REQUIRE(std::find(kept.begin(), kept.end(), 7777) != kept.end());
    REQUIRE(std::is_sorted(kept.begin(), kept.end()));
}

TEST_CASE("decimation draws only the visible x range plus one neighbour each side") {
    std::vector<double> x;
    std::vector<std::optional<double>> y;
    for (int i = 0; i < 1000; ++i) {
        x.push_back(i);
        y.push_back(1.0);
    }
    const Transform t({0.0, 0.0, 1000.0, 100.0}, {100.5, 199.5}, {0.0, 2.0});
    const auto kept = decimate(x, y, t, 0.0);
    REQUIRE(kept.front() == 100);
    REQUIRE(kept.back() == 200);
    REQUIRE(kept.size() == 101);
}

TEST_CASE("a tooltip names the series, the session label and the exact value") {
    ChartSpec spec;
    spec.y_percent = true;
    spec.x_ticks = {{3.0, "S3"}};
    spec.series = {series("Repair rate", {2, 3}, {0.5, 0.4567})};
    REQUIRE(describe_point(spec, {0, 1}) == "Repair rate\nS3: 45.7%");
    REQUIRE(describe_point(spec, {0, 0}) == "Repair rate\n2: 50%");
}
