// A case's metrics and trends (services/case_trends.h): hand-computed values,
// recomputation after a change, other metric windows; reads that do not move
// the data version views watch; and one chart specification, so that the
// trends view and the PDF show the same points for the same case.
#include "services/case_trends.h"

#include <algorithm>
#include <catch2/catch_approx.hpp>
#include <catch2/catch_test_macros.hpp>
#include <cstdlib>
#include <map>
#include <regex>

#include "core/metrics_json.h"
#include "core/trend_charts.h"
#include "formats/export_pdf.h"
#include "hand_case.h"
#include "services/cases.h"
#include "services/export.h"
#include "services/settings.h"
#include "support/practice_fixture.h"
#include "support/test_support.h"

using namespace attune;
using Catch::Approx;

TEST_CASE("case metrics match the hand-computed values", "[trends]") {
    test::HandCase f;
    const CaseMetrics m = services::case_metrics(*f.practice, f.c.id);
    REQUIRE(m.sessions.size() == 3);
    const SessionMetrics& s1 = m.sessions[0].metrics;
    REQUIRE(m.sessions[0].session.number == 1);
    REQUIRE(s1.rupture_total == 2);
    REQUIRE(s1.ruptures_a.total == 1);
    REQUIRE(s1.ruptures_b.by_category.at("withdrawal") == 1);
    REQUIRE(*s1.rupture_rate_per_10min == Approx(2.0));
    REQUIRE(s1.repairs == 1);
    REQUIRE(*s1.pos_neg_ratio == Approx(0.5));
    REQUIRE(*s1.repair_rate == Approx(0.5));
    REQUIRE(*s1.median_time_to_repair_s == Approx(30.0));
    REQUIRE(s1.pursue_withdraw_a_to_b == 1);
    REQUIRE(s1.pursue_withdraw_b_to_a == 0);
    REQUIRE(s1.time_withdrawn_b_s == Approx(30.0));

    const SessionMetrics& s2 = m.sessions[1].metrics;
    REQUIRE(*s2.rupture_rate_per_10min == Approx(0.5));
    REQUIRE(*s2.repair_rate == Approx(0.0));
    REQUIRE_FALSE(s2.median_time_to_repair_s.has_value());

    const SessionMetrics& s3 = m.sessions[2].metrics;
    REQUIRE(s3.rupture_total == 0);
    REQUIRE_FALSE(s3.repair_rate.has_value());
    REQUIRE_FALSE(s3.pos_neg_ratio.has_value());
    REQUIRE(*s3.rupture_rate_per_10min == Approx(0.0));
    // Three sessions, only two with a repair rate: no trend yet, and too few to flag.
    REQUIRE_FALSE(m.trends.repair_rate.has_value());
    REQUIRE_FALSE(m.trends.not_on_track);

    // A date range keeps the sessions inside it.
    const CaseMetrics ranged = services::case_metrics(*f.practice, f.c.id, "2026-02-05", "2026-02-15");
    REQUIRE(ranged.sessions.size() == 2);
    CHECK(ranged.sessions[0].session.date == "2026-02-08");
}

TEST_CASE("a second computation, from the cache, gives the same metrics", "[trends]") {
    test::HandCase f;
    const CaseMetrics first = services::case_metrics(*f.practice, f.c.id);
    const CaseMetrics second = services::case_metrics(*f.practice, f.c.id);
    REQUIRE(second.sessions.size() == first.sessions.size());
    for (std::size_t i = 0; i < first.sessions.size(); ++i)
        CHECK(to_json(second.sessions[i].metrics, 1, "") == to_json(first.sessions[i].metrics, 1, ""));
}

TEST_CASE("an observation added to an ended session shows in the next computation", "[trends]") {
    test::HandCase f;
    REQUIRE(*services::case_metrics(*f.practice, f.c.id).sessions[1].metrics.repair_rate == Approx(0.0));
    f.add(1, Who::B, "validate", 130);  // repairs S2's rupture @100 after 30 s
    const CaseMetrics m = services::case_metrics(*f.practice, f.c.id);
    REQUIRE(*m.sessions[1].metrics.repair_rate == Approx(1.0));
    REQUIRE(*m.sessions[1].metrics.median_time_to_repair_s == Approx(30.0));
    REQUIRE(*m.sessions[0].metrics.repair_rate == Approx(0.5));  // the other sessions as they were
}

TEST_CASE("other metric windows are computed afresh, and session detail carries the links", "[trends]") {
    test::HandCase f;
    services::case_metrics(*f.practice, f.c.id);  // cached with the default windows
    services::save_metric_windows(*f.practice, MetricSettings{20, 60, 120});
    const CaseMetrics narrow = services::case_metrics(*f.practice, f.c.id);
    REQUIRE(*narrow.sessions[0].metrics.repair_rate == Approx(0.0));  // the repair came 30 s later
    CHECK(narrow.settings.repair_window_s == 20);
    const SessionMetrics detail = services::session_detail_metrics(*f.practice, f.sessions[0], f.c.clinician_id);
    REQUIRE(detail.rupture_links.size() == 2);
    CHECK_FALSE(detail.rupture_links[0].repaired_by.has_value());  // 20 s window
    REQUIRE(detail.pursue_withdraw_pairs.size() == 1);
}

// [SECTION] Reads do not ripple

TEST_CASE("reading a case's trends on a cold cache leaves the data version alone; a write moves it", "[trends]") {
    test::HandCase f;  // nothing computed yet: the first read computes and caches every session
    const std::uint64_t before = f.practice->data_version();
    services::case_metrics(*f.practice, f.c.id);
    CHECK(f.practice->data_version() == before);
    services::case_metrics(*f.practice, f.c.id);
    services::session_detail_metrics(*f.practice, f.sessions[0], f.c.clinician_id);
    services::list_cases(*f.practice);
    CHECK(f.practice->data_version() == before);

    test::add_couple(*f.practice, "Couple W");
    CHECK(f.practice->data_version() > before);
}

// [SECTION] Same points on screen and on paper

namespace {

// Sessions numbered against date order (as when an earlier session was
// imported after later ones were logged):
//   number 1 on 2026-05-10: A blame_shift @10 repaired by B validate @40: repair rate 1; safety 6
//   number 2 on 2026-05-03: A defensive_anger @100, unrepaired: repair rate 0; safety 4
//   number 3 on 2026-05-17: nothing coded: no repair rate; safety 8
// In date order: S2, S1, S3.
struct OutOfOrderCase {
    test::TempDir dir;
    std::unique_ptr<services::OpenPractice> practice = test::new_practice(dir / "p.db");
    Case c = test::add_couple(*practice, "Couple O", "Zoë", "Дмитрий");

    OutOfOrderCase() {
        session("2026-05-10", {{Who::A, "blame_shift", 10}, {Who::B, "validate", 40}}, 6);
        session("2026-05-03", {{Who::A, "defensive_anger", 100}}, 4);
        session("2026-05-17", {}, 8);
    }

    struct Press {
        Who who;
        const char* code;
        double t;
    };
    void session(const std::string& date, const std::vector<Press>& presses, int safety) {
        const Session s = services::start_session(*practice, c.id, date);
        for (const Press& p : presses) {
            services::LogRequest request;
            request.who = p.who;
            request.code = p.code;
            request.at = p.t;
            services::log_observation(*practice, s, request);
        }
        services::SessionEnding ending;
        ending.active_seconds = 600;
        ending.safety = safety;
        services::end_session(*practice, s, ending);
    }
};

std::string run_capture(const std::string& command, const std::filesystem::path& out) {
    const int rc = std::system((command + " > '" + out.string() + "' 2>&1").c_str());
    REQUIRE(rc == 0);
    return test::read_file(out);
}

}  // namespace

TEST_CASE("the trends view and the PDF give the same points for a case numbered against date order",
          "[trends][charts]") {
    OutOfOrderCase f;
    const CaseMetrics metrics = services::case_metrics(*f.practice, f.c.id);
    const std::vector<ChartSpec> screen = case_trend_charts(metrics);
    formats::CaseSummaryData summary;
    summary.case_metrics = services::case_metrics(*f.practice, f.c.id);  // what the export gathers
    const std::vector<ChartSpec> paper = formats::case_summary_charts(summary);

    // The decision, by hand: x is the place in date order, the label the session's number.
    // Eight charts of version 1, and with the process detail the signal outcomes and change events.
    REQUIRE(screen.size() == 10);
    const ChartSpec& repair = screen[0];
    REQUIRE(repair.x_ticks.size() == 3);
    CHECK(repair.x_ticks[0].x == 1.0);
    CHECK(repair.x_ticks[0].label == "S2");
    CHECK(repair.x_ticks[1].x == 2.0);
    CHECK(repair.x_ticks[1].label == "S1");
    CHECK(repair.x_ticks[2].x == 3.0);
    CHECK(repair.x_ticks[2].label == "S3");
    REQUIRE(repair.series.size() == 1);
    CHECK(repair.series[0].x == std::vector<double>{1.0, 2.0, 3.0});
    CHECK(repair.series[0].y == std::vector<std::optional<double>>{0.0, 1.0, std::nullopt});
    const ChartSpec& ratings = screen.back();
    REQUIRE(ratings.series.size() == 3);
    CHECK(ratings.series[2].name == "Safety");
    CHECK(ratings.series[2].y == std::vector<std::optional<double>>{4.0, 6.0, 8.0});

    // And the paper's charts are the screen's, point for point.
    REQUIRE(paper.size() == screen.size());
    for (std::size_t i = 0; i < screen.size(); ++i) {
        INFO(screen[i].title);
        CHECK(paper[i].title == screen[i].title);
        REQUIRE(paper[i].x_ticks.size() == screen[i].x_ticks.size());
        for (std::size_t t = 0; t < screen[i].x_ticks.size(); ++t) {
            CHECK(paper[i].x_ticks[t].x == screen[i].x_ticks[t].x);
            CHECK(paper[i].x_ticks[t].label == screen[i].x_ticks[t].label);
        }
        REQUIRE(paper[i].series.size() == screen[i].series.size());
        for (std::size_t s = 0; s < screen[i].series.size(); ++s) {
            CHECK(paper[i].series[s].name == screen[i].series[s].name);
            CHECK(paper[i].series[s].x == screen[i].series[s].x);
            CHECK(paper[i].series[s].y == screen[i].series[s].y);
        }
    }
}

TEST_CASE("the exported PDF labels the first chart's sessions in date order", "[trends][charts][pdf]") {
    OutOfOrderCase f;
    services::ExportOptions options;
    options.format = "pdf";
    const std::string bytes = services::ExportJob(*f.practice, f.c, options).bytes();
    const auto pdf = f.dir / "summary.pdf";
    test::write_file(pdf, bytes);
    const std::string bbox = run_capture("pdftotext -enc UTF-8 -bbox '" + pdf.string() + "' -", f.dir / "bbox.html");
    // Every "S<n>" word in the left half of the page, by line (its top) and then from left to right.
    static const std::regex word(
        R"re(<word xMin="([0-9.]+)" yMin="([0-9.]+)" xMax="[0-9.]+" yMax="[0-9.]+">(S[0-9]+)</word>)re");
    std::map<double, std::map<double, std::string>> lines;
    for (auto it = std::sregex_iterator(bbox.begin(), bbox.end(), word); it != std::sregex_iterator(); ++it) {
        const double x = std::stod((*it)[1]);
        if (x < 595.276 / 2) lines[std::stod((*it)[2])][x] = (*it)[3];
    }
    REQUIRE_FALSE(lines.empty());
    std::vector<std::string> first_chart;  // the topmost line of labels: the first chart's x axis
    for (const auto& [x, label] : lines.begin()->second)
        first_chart.push_back(label);
    const std::vector<ChartSpec> charts = case_trend_charts(services::case_metrics(*f.practice, f.c.id));
    std::vector<std::string> screen;
    for (const XTick& tick : charts.at(0).x_ticks)
        screen.push_back(tick.label);
    CHECK(first_chart == std::vector<std::string>{"S2", "S1", "S3"});
    CHECK(first_chart == screen);
}
