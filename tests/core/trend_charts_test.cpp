// A case's trend charts (core/trend_charts.h), the one spec that the trends
// view and the PDF both draw: sessions sit at x = their position in date
// order + 1 and are labelled with their own number, whatever that number is.
#include "core/trend_charts.h"

#include <catch2/catch_test_macros.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/chart_model.h"

using namespace attune;

namespace {

using Values = std::vector<std::optional<double>>;

SessionWithMetrics session(int number, const std::string& date, std::optional<int> stage) {
    SessionWithMetrics s;
    s.session.number = number;
    s.session.date = date;
    s.session.eft_stage = stage;
    s.session.state = SessionState::Ended;
    s.metrics.active_minutes = 20;
    return s;
}

// Three sessions in date order, numbered 2, 1, 3 (session 1 was entered late,
// after an imported one): stages 1, 1, 2.
CaseMetrics renumbered_case() {
    CaseMetrics m;
    m.info.label = "Couple R";
    m.info.partner_a.display_name = "Ana";
    m.info.partner_b.display_name = "Ben";

    SessionWithMetrics first = session(2, "2026-01-05", 1);
    first.metrics.repair_rate = 0.25;
    first.metrics.ruptures_a.by_category = {{"criticism", 2}, {"contempt", 0}};
    first.metrics.ruptures_b.by_category = {{"stonewalling", 1}};
    first.metrics.pursue_withdraw_a_to_b = 3;
    first.session.ratings = {4, 5, 6};

    SessionWithMetrics second = session(1, "2026-01-12", 1);
    second.metrics.repair_rate = 0.5;
    second.metrics.ruptures_a.by_category = {{"criticism", 1}, {"contempt", 1}};
    second.metrics.ruptures_b.by_category = {{"stonewalling", 0}};
    second.metrics.pursue_withdraw_a_to_b = 2;
    second.session.ratings = {6, std::nullopt, 7};

    SessionWithMetrics third = session(3, "2026-01-19", 2);
    third.metrics.repair_rate = std::nullopt;  // no rupture: a gap
    third.metrics.ruptures_a.by_category = {{"criticism", 0}, {"contempt", 0}};
    third.metrics.ruptures_b.by_category = {{"stonewalling", 2}};
    third.session.ratings = {8, 9, std::nullopt};

    m.sessions = {first, second, third};
    return m;
}

const Series* find_series(const ChartSpec& chart, const std::string& name) {
    for (const Series& s : chart.series)
        if (s.name == name) return &s;
    return nullptr;
}

}  // namespace

TEST_CASE("every trend chart puts sessions at 1, 2, 3 in date order, labelled with their numbers", "[charts]") {
    const std::vector<ChartSpec> charts = case_trend_charts(renumbered_case());
    REQUIRE(charts.size() == 8);
    for (const ChartSpec& chart : charts) {
        INFO(chart.title);
        REQUIRE(chart.x_ticks.size() == 3);
        CHECK(chart.x_ticks[0].x == 1.0);
        CHECK(chart.x_ticks[0].label == "S2");
        CHECK(chart.x_ticks[1].x == 2.0);
        CHECK(chart.x_ticks[1].label == "S1");
        CHECK(chart.x_ticks[2].x == 3.0);
        CHECK(chart.x_ticks[2].label == "S3");
        REQUIRE_FALSE(chart.series.empty());
        for (const Series& s : chart.series) {
            INFO(s.name);
            CHECK(s.x == std::vector<double>{1.0, 2.0, 3.0});
            CHECK(s.y.size() == 3);
        }
    }
}

TEST_CASE("consecutive sessions of one stage share one band from half before the first to half after the last",
          "[charts]") {
    for (const ChartSpec& chart : case_trend_charts(renumbered_case())) {
        INFO(chart.title);
        REQUIRE(chart.bands.size() == 2);
        CHECK(chart.bands[0].x0 == 0.5);  // sessions at 1 and 2: stage 1
        CHECK(chart.bands[0].x1 == 2.5);
        CHECK(chart.bands[0].label == "Stage 1");
        CHECK(chart.bands[1].x0 == 2.5);  // the session at 3: stage 2
        CHECK(chart.bands[1].x1 == 3.5);
        CHECK(chart.bands[1].label == "Stage 2");
    }
}

TEST_CASE("a session without a stage has no band and splits the stage around it", "[charts]") {
    CaseMetrics m;
    m.sessions = {session(1, "2026-01-05", 1), session(2, "2026-01-12", std::nullopt), session(3, "2026-01-19", 1),
                  session(4, "2026-01-26", 1)};
    const ChartSpec chart = case_trend_charts(m).front();
    REQUIRE(chart.bands.size() == 2);
    CHECK(chart.bands[0].x0 == 0.5);
    CHECK(chart.bands[0].x1 == 1.5);
    CHECK(chart.bands[1].x0 == 2.5);
    CHECK(chart.bands[1].x1 == 4.5);
}

TEST_CASE("the values follow the date order, not the session numbers", "[charts]") {
    const std::vector<ChartSpec> charts = case_trend_charts(renumbered_case());
    const Series* repair = find_series(charts[0], "Repair rate");
    REQUIRE(repair != nullptr);
    CHECK(repair->y == Values{0.25, 0.5, std::nullopt});

    // Ruptures of A per 10 minutes over 20 active minutes: n / 2.
    const ChartSpec& ruptures_a = charts[4];
    CHECK(ruptures_a.title.find("Ana") != std::string::npos);
    const Series* criticism = find_series(ruptures_a, "Criticism");
    REQUIRE(criticism != nullptr);
    CHECK(criticism->y == Values{1.0, 0.5, 0.0});
    const Series* stonewalling = find_series(charts[5], "Stonewalling");
    REQUIRE(stonewalling != nullptr);
    CHECK(stonewalling->y == Values{0.5, 0.0, 1.0});

    const Series* a_to_b = find_series(charts[6], "Ana pursues, Ben withdraws");
    REQUIRE(a_to_b != nullptr);
    CHECK(a_to_b->y == Values{3.0, 2.0, 0.0});
}

TEST_CASE("the ratings chart shows each session's clinician ratings, with gaps where none was given", "[charts]") {
    const ChartSpec ratings = case_trend_charts(renumbered_case()).back();
    CHECK(ratings.title.find("ratings") != std::string::npos);
    CHECK(ratings.y_min == std::optional<double>(0.0));
    CHECK(ratings.y_max == std::optional<double>(10.0));
    // Attunement of each partner to the other: the label says to what.
    const Series* attunement_a = find_series(ratings, "Attunement to partner, Ana");
    const Series* attunement_b = find_series(ratings, "Attunement to partner, Ben");
    const Series* safety = find_series(ratings, "Safety");
    REQUIRE(attunement_a != nullptr);
    REQUIRE(attunement_b != nullptr);
    REQUIRE(safety != nullptr);
    CHECK(attunement_a->y == Values{4.0, 6.0, 8.0});
    CHECK(attunement_b->y == Values{5.0, std::nullopt, 9.0});
    CHECK(safety->y == Values{6.0, 7.0, std::nullopt});
}

TEST_CASE("a case without sessions gives the same charts with no points and no bands", "[charts]") {
    const std::vector<ChartSpec> charts = case_trend_charts(CaseMetrics{});
    REQUIRE(charts.size() == 8);
    for (const ChartSpec& chart : charts) {
        INFO(chart.title);
        CHECK(chart.x_ticks.empty());
        CHECK(chart.bands.empty());
        for (const Series& s : chart.series)
            CHECK(s.x.empty());
    }
}

// [SECTION] Issue 18: which sessions are charted, the 5 : 1 line, one palette, one scale

TEST_CASE("a session that does not count is not charted: the x axis holds the counted sessions only", "[charts]") {
    CaseMetrics m = renumbered_case();
    m.sessions[1].counting = {false, "still running"};  // session 1, in the middle of the date order
    for (const ChartSpec& chart : case_trend_charts(m)) {
        INFO(chart.title);
        REQUIRE(chart.x_ticks.size() == 2);
        CHECK(chart.x_ticks[0].label == "S2");
        CHECK(chart.x_ticks[1].label == "S3");
        CHECK(chart.x_ticks[1].x == 2.0);
        for (const Series& s : chart.series)
            CHECK(s.x == std::vector<double>{1.0, 2.0});
    }
    CHECK(find_series(case_trend_charts(m)[0], "Repair rate")->y == Values{0.25, std::nullopt});
}

TEST_CASE("the 5 : 1 line is off by default and, when on, labelled with its source", "[charts]") {
    const ChartSpec off = case_trend_charts(renumbered_case())[2];
    CHECK(off.title.find("Repairs per rupture") != std::string::npos);
    CHECK(off.reference_lines.empty());
    const ChartSpec on = case_trend_charts(renumbered_case(), TrendChartOptions{true})[2];
    REQUIRE(on.reference_lines.size() == 1);
    CHECK(on.reference_lines[0].value == 5.0);
    CHECK(on.reference_lines[0].label == "5 : 1 (Gottman, conflict discussions)");
    for (const std::size_t other : {0u, 1u, 3u, 4u, 5u, 6u, 7u})
        CHECK(case_trend_charts(renumbered_case(), TrendChartOptions{true})[other].reference_lines.empty());
}

TEST_CASE("rupture bars take their category's colour, the same for both partners", "[charts][palette]") {
    CaseMetrics m = renumbered_case();
    m.sessions[0].metrics.ruptures_a.by_category = {{"pursuit", 2}, {"withdrawal", 1}};
    m.sessions[0].metrics.ruptures_b.by_category = {{"reactivity", 1}, {"low_warmth", 1}};
    const std::vector<ChartSpec> charts = case_trend_charts(m);
    for (const std::size_t partner_chart : {4u, 5u}) {
        INFO(charts[partner_chart].title);
        REQUIRE(find_series(charts[partner_chart], "Pursuit"));
        CHECK(find_series(charts[partner_chart], "Pursuit")->color == palette::pursuit);
        CHECK(find_series(charts[partner_chart], "Withdrawal")->color == palette::withdrawal);
        CHECK(find_series(charts[partner_chart], "Reactivity")->color == palette::reactivity);
        CHECK(find_series(charts[partner_chart], "Low warmth")->color == palette::low_warmth);
    }
    CHECK(find_series(charts[6], "Ana pursues, Ben withdraws")->color == palette::partner_a);
}

TEST_CASE("the two partners' rupture charts share one y scale, rounded up to a tick", "[charts]") {
    // A's highest stack: session S1 (20 min) with criticism 1 + contempt 1 = 2 ruptures -> 1.0 per 10 min.
    // B's highest: session S3 with stonewalling 2 -> 1.0; make B's higher: 7 -> 3.5 per 10 min.
    CaseMetrics m = renumbered_case();
    m.sessions[2].metrics.ruptures_b.by_category = {{"stonewalling", 7}};
    const std::vector<ChartSpec> charts = case_trend_charts(m);
    REQUIRE(charts[4].y_max);
    REQUIRE(charts[5].y_max);
    CHECK(*charts[4].y_max == *charts[5].y_max);
    CHECK(*charts[4].y_max == 4.0);  // 3.5 rounded up to the next tick of a 0..5-interval axis
    CHECK(charts[4].y_min == std::optional<double>(0.0));
    // Laid out side by side at the same size, both axes end at the same value.
    const PixelRect frame{0, 0, 300, 200};
    const ChartLayout a = layout_chart(charts[4], frame, TextMetrics{});
    const ChartLayout b = layout_chart(charts[5], frame, TextMetrics{});
    CHECK(a.transform.y_range().hi == b.transform.y_range().hi);
}

// [SECTION] Version 2: sequences, change events, measures

namespace {

CaseMetrics with_process_detail() {
    CaseMetrics m = renumbered_case();
    m.has_process_detail = true;
    for (SessionWithMetrics& s : m.sessions)
        s.sequences.polarity_of = {{"attachment", Polarity::Signal},
                                   {"repair", Polarity::Repair},
                                   {"withdrawal", Polarity::Rupture}};
    // First session: A's two signals (one answered by B's repair, one by nothing), B's one
    // signal met by A's withdrawal: 3 signals, 1 -> repair, 1 -> rupture.
    SequenceAnalysis& first = m.sessions[0].sequences;
    first.a_to_b.by_antecedent = {{"attachment", 2}};
    first.a_to_b.transitions = {{{"attachment", "repair"}, 1}};
    first.b_to_a.by_antecedent = {{"attachment", 1}};
    first.b_to_a.transitions = {{{"attachment", "withdrawal"}, 1}};
    // Second: one signal of A answered by a repair. Third: no signal at all.
    m.sessions[1].sequences.a_to_b.by_antecedent = {{"attachment", 1}, {"withdrawal", 4}};
    m.sessions[1].sequences.a_to_b.transitions = {{{"attachment", "repair"}, 1}, {{"withdrawal", "withdrawal"}, 2}};
    m.sessions[1].confirmed.withdrawer_reengagement = 1;
    m.sessions[2].confirmed = {2, 1};
    return m;
}

Measure total(const char* instrument, Who partner, const char* date, double value) {
    Measure m;
    m.instrument_id = instrument;
    m.partner = partner;
    m.date = date;
    m.entered_total = value;
    return m;
}

Instrument ors() {
    Instrument in;
    in.id = "ors";
    in.name = "ORS";
    in.items = {{0, 10, ""}, {0, 10, ""}, {0, 10, ""}, {0, 10, ""}};
    in.score_decimals = 1;
    in.total_max = 40;
    in.clinical_cutoff = 25;
    in.direct_total = true;
    return in;
}

}  // namespace

TEST_CASE("with the process detail, signal outcomes and confirmed change events are charted per session",
          "[charts]") {
    const std::vector<ChartSpec> charts = case_trend_charts(with_process_detail());
    REQUIRE(charts.size() == 10);
    const ChartSpec& context = charts[7];
    CHECK(context.title.find("attachment signal") != std::string::npos);
    CHECK(context.y_percent);
    const Series* to_repair = find_series(context, "Signal -> repair");
    const Series* to_rupture = find_series(context, "Signal -> rupture");
    REQUIRE(to_repair != nullptr);
    REQUIRE(to_rupture != nullptr);
    CHECK(to_repair->y == Values{1.0 / 3, 1.0, std::nullopt});  // no signal in the third session: a gap
    CHECK(to_rupture->y == Values{1.0 / 3, 0.0, std::nullopt});

    const ChartSpec& events = charts[8];
    CHECK(events.title.find("Change events") != std::string::npos);
    const Series* reengagement = find_series(events, "Withdrawer re-engagement");
    const Series* softening = find_series(events, "Blamer softening");
    REQUIRE(reengagement != nullptr);
    REQUIRE(softening != nullptr);
    CHECK(reengagement->style == SeriesStyle::Bars);
    CHECK(reengagement->y == Values{0.0, 1.0, 2.0});
    CHECK(softening->y == Values{0.0, 0.0, 1.0});
    CHECK(charts[9].title.find("ratings") != std::string::npos);
}

TEST_CASE("a measure chart puts both partners on the instrument's dates with the cut-off and clinical band",
          "[charts]") {
    CaseMetrics m = renumbered_case();
    m.measures.instruments = {ors()};
    // A on three dates (one without a total), B on two; the dates shared by both share an x.
    Measure missing_item;
    missing_item.instrument_id = "ors";
    missing_item.partner = Who::A;
    missing_item.date = "2026-01-19";
    missing_item.items = {5.0, std::nullopt, 5.0, 5.0};
    m.measures.administrations = {total("ors", Who::A, "2026-01-05", 20), total("ors", Who::B, "2026-01-05", 28),
                                  total("ors", Who::B, "2026-01-12", 22), missing_item,
                                  total("ors", Who::A, "2026-01-26", 26.5)};
    m.measures.summaries = summarize_measures(m.measures.administrations, [] {
        InstrumentCatalog c;
        c.add(ors());
        return c;
    }());
    const std::vector<ChartSpec> charts = case_trend_charts(m);
    REQUIRE(charts.size() == 9);
    const ChartSpec& chart = charts.back();
    CHECK(chart.title == "ORS");
    CHECK(chart.x_label == "Date");
    REQUIRE(chart.x_ticks.size() == 3);  // 2026-01-19 has no total: no tick
    CHECK(chart.x_ticks[0].label == "2026-01-05");
    CHECK(chart.x_ticks[2].x == 3.0);
    CHECK(chart.x_ticks[2].label == "2026-01-26");
    const Series* a = find_series(chart, "Ana (A)");
    const Series* b = find_series(chart, "Ben (B)");
    REQUIRE(a != nullptr);
    REQUIRE(b != nullptr);
    CHECK(a->color == palette::partner_a);
    CHECK(a->x == std::vector<double>{1.0, 3.0});
    CHECK(a->y == Values{20.0, 26.5});
    CHECK(b->x == std::vector<double>{1.0, 2.0});
    CHECK(b->y == Values{28.0, 22.0});
    CHECK(chart.y_min == std::optional<double>(0.0));
    CHECK(chart.y_max == std::optional<double>(40.0));
    REQUIRE(chart.reference_lines.size() == 1);
    CHECK(chart.reference_lines[0].value == 25.0);
    CHECK(chart.reference_lines[0].label == "cut-off 25");
    REQUIRE(chart.y_bands.size() == 1);
    CHECK(chart.y_bands[0].y0 == 0.0);  // higher is better: the clinical range lies below the cut-off
    CHECK(chart.y_bands[0].y1 == 25.0);
    CHECK(chart.bands.empty());  // EFT stages belong to the session axis
}
