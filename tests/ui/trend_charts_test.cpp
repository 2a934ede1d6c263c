// The case trends view shows the charts the PDF summary draws: the same
// series, x positions, values and tick labels, for a case whose session
// numbers differ from their date order (one x-axis decision, core/trend_charts.h).
#include <catch2/catch_test_macros.hpp>

#include "formats/export_pdf.h"
#include "headless.h"
#include "services/case_trends.h"
#include "session_data.h"
#include "support/practice_fixture.h"
#include "support/test_support.h"

using namespace attune;

namespace {

std::vector<std::string> tick_labels(const ChartSpec& spec) {
    std::vector<std::string> labels;
    for (const auto& tick : spec.x_ticks)
        labels.push_back(tick.label);
    return labels;
}

}  // namespace

TEST_CASE("a case's trend charts have the same points on screen and in the PDF summary", "[ui][charts]") {
    test::TempDir dir;
    test::Headless ui;
    auto practice = test::new_practice(dir / "practice.db");
    const Case c = test::add_case_out_of_date_order(*practice);
    ui::AppModel& model = ui.shell().model();
    model.set_practice(std::move(practice));
    REQUIRE(model.shown_trend_charts() == nullptr);
    model.open_case(c.id);
    ui.run_frames(3);
    REQUIRE(model.shown_trend_charts() != nullptr);
    const std::vector<ChartSpec>& screen = *model.shown_trend_charts();

    // What the PDF draws for the whole case, gathered as `attune export --format pdf` gathers it.
    formats::CaseSummaryData data;
    data.case_metrics = services::case_metrics(model.practice(), c.id);
    const std::vector<ChartSpec> paper = formats::case_summary_charts(data);

    REQUIRE(screen.size() == paper.size());
    // The eight charts of the coded process, then (the services compute the
    // process detail) what follows an attachment signal and the confirmed
    // change events; no measures were entered, so no instrument chart.
    REQUIRE(screen.size() == 10);
    CHECK(screen[7].title.find("attachment signal") != std::string::npos);
    for (std::size_t i = 0; i < screen.size(); ++i) {
        INFO("chart " << i << ": " << screen[i].title);
        CHECK(screen[i].title == paper[i].title);
        CHECK(tick_labels(screen[i]) == tick_labels(paper[i]));
        REQUIRE(screen[i].x_ticks.size() == paper[i].x_ticks.size());
        for (std::size_t t = 0; t < screen[i].x_ticks.size(); ++t)
            CHECK(screen[i].x_ticks[t].x == paper[i].x_ticks[t].x);
        REQUIRE(screen[i].series.size() == paper[i].series.size());
        for (std::size_t s = 0; s < screen[i].series.size(); ++s) {
            INFO("series " << screen[i].series[s].name);
            CHECK(screen[i].series[s].name == paper[i].series[s].name);
            CHECK(screen[i].series[s].x == paper[i].series[s].x);
            CHECK(screen[i].series[s].y == paper[i].series[s].y);
        }
    }

    // And both are the hand-computed points: date order S2, S1, S3 at x = 1, 2, 3.
    const ChartSpec& repair_rate = screen[0];
    CHECK(repair_rate.title == "Repair rate (ruptures repaired)");
    CHECK(tick_labels(repair_rate) == std::vector<std::string>{"S2", "S1", "S3"});
    REQUIRE(repair_rate.series.size() == 1);
    CHECK(repair_rate.series[0].x == std::vector<double>{1, 2, 3});
    CHECK(repair_rate.series[0].y == std::vector<std::optional<double>>{1.0, 0.5, 0.0});
}
