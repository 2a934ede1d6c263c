// Couple-reported measures, sequences and change events in the window: the
// Enter measures dialog stores both partners' item scores (and refuses an
// item out of range), the trends view charts an instrument with both
// partners and its clinical range, the review confirms a change-event
// candidate, and the hand-over check-in hides the record until the
// passphrase is typed.
#include <algorithm>
#include <catch2/catch_test_macros.hpp>
#include <cmath>

#include "core/measures.h"
#include "headless.h"
#include "services/case_trends.h"
#include "services/measures.h"
#include "services/supervision.h"
#include "session_data.h"
#include "support/practice_fixture.h"
#include "support/test_support.h"
#include "ui/keys.h"

using namespace attune;

namespace {

constexpr const char* kDialog = "Enter measures";

struct MeasuresFixture {
    test::TempDir dir;
    test::Headless ui{ImVec2(1400.0f, 1000.0f)};
    Case info;

    MeasuresFixture() {
        auto practice = test::new_practice(dir / "practice.db");
        info = test::add_couple(*practice, "Couple M", "Ana", "Ben");
        model().set_practice(std::move(practice));
    }
    ui::AppModel& model() { return ui.shell().model(); }
    services::OpenPractice& practice() { return model().practice(); }

    void click(const std::string& window, const std::vector<test::Headless::IdPart>& id) {
        test::click_item(ui, window, id);
    }
    // Types `text` into the grid cell of `partner` ("A" or "B") and item `item` (from 1).
    void type_score(const std::string& partner, int item, const char* text) {
        click(kDialog, {"##grid", "##" + partner + std::to_string(item)});
        ui.type_text(text);
        ui.run_frames(1);
    }
    // Replaces what the grid cell of `partner` and `item` holds with `text`.
    void retype_score(const std::string& partner, int item, const char* text) {
        click(kDialog, {"##grid", "##" + partner + std::to_string(item)});
        ui.press_key(ui::keys::letter('a'), /*ctrl=*/true);
        ui.type_text(text);
        ui.run_frames(1);
    }
    // Opens the case view with its list of each measure unfolded.
    void open_measure_list() {
        model().open_case(info.id);
        ui.run_frames(3);
        click("/charts_", {"###administrations"});
    }
    // Opens the dialog from the case view with ORS chosen.
    void open_dialog_with_ors() {
        model().open_case(info.id);
        ui.run_frames(3);
        click("/##view_", {"Enter measures..."});
        REQUIRE(ui.popup_open(kDialog));
        click(kDialog, {"Instrument"});
        click("##Combo_01", {"ORS (Outcome Rating Scale)"});  // a combo in a modal: popup depth 1
    }
};

}  // namespace

TEST_CASE("the Enter measures dialog stores each partner's item scores as one measure with its total",
          "[ui][measures]") {
    MeasuresFixture f;
    f.open_dialog_with_ors();
    // Ana 5 + 6 + 7 + 8.5 = 26.5; Ben 2 + 3 + 4 + 1 = 10.
    f.type_score("A", 1, "5");
    f.type_score("A", 2, "6");
    f.type_score("A", 3, "7");
    f.type_score("A", 4, "8.5");
    f.type_score("B", 1, "2");
    f.type_score("B", 2, "3");
    f.type_score("B", 3, "4");
    f.type_score("B", 4, "1");
    f.click(kDialog, {"Save"});

    const std::vector<Measure> stored = services::list_measures(f.practice(), f.info.id);
    REQUIRE(stored.size() == 2);
    const auto of = [&](Who who) {
        return *std::find_if(stored.begin(), stored.end(), [&](const Measure& m) { return m.partner == who; });
    };
    CHECK(of(Who::A).instrument_id == "ors");
    CHECK(of(Who::A).items == std::vector<std::optional<double>>{5.0, 6.0, 7.0, 8.5});
    CHECK(measure_total(of(Who::A)) == 26.5);
    CHECK(measure_total(of(Who::B)) == 10.0);
    CHECK_FALSE(of(Who::A).session_id.has_value());  // opened from the case view: tied to no session
    CHECK(f.ui.popup_open(kDialog));                 // Save keeps it open for the next instrument
}

TEST_CASE("the Enter measures dialog refuses an item out of its range and stores neither partner's scores",
          "[ui][measures]") {
    MeasuresFixture f;
    f.open_dialog_with_ors();
    f.type_score("A", 1, "5");
    f.type_score("A", 2, "11");  // ORS items take 0-10
    f.type_score("A", 3, "5");
    f.type_score("A", 4, "5");
    f.type_score("B", 1, "2");
    f.click(kDialog, {"Save"});
    CHECK(services::list_measures(f.practice(), f.info.id).empty());
    CHECK(f.ui.popup_open(kDialog));
}

TEST_CASE("the trends view charts an instrument's totals for both partners with its clinical range shaded",
          "[ui][measures][charts]") {
    MeasuresFixture f;
    const auto add = [&](Who who, const char* date, double total) {
        Measure m;
        m.case_id = f.info.id;
        m.partner = who;
        m.instrument_id = "ors";
        m.date = date;
        m.entered_total = total;
        services::add_measure(f.practice(), m);
    };
    add(Who::A, "2026-03-01", 30);
    add(Who::B, "2026-03-01", 20);
    add(Who::A, "2026-03-15", 22);
    f.model().open_case(f.info.id);
    f.ui.run_frames(3);
    REQUIRE(f.model().shown_trend_charts() != nullptr);
    const std::vector<ChartSpec>& charts = *f.model().shown_trend_charts();
    const auto ors = std::find_if(charts.begin(), charts.end(),
                                  [](const ChartSpec& c) { return c.title == "ORS (Outcome Rating Scale)"; });
    REQUIRE(ors != charts.end());
    REQUIRE(ors->series.size() == 2);
    CHECK(ors->series[0].name.find("Ana") != std::string::npos);
    CHECK(ors->series[0].x == std::vector<double>{1, 2});
    CHECK(ors->series[0].y == std::vector<std::optional<double>>{30.0, 22.0});
    CHECK(ors->series[1].y == std::vector<std::optional<double>>{20.0});
    REQUIRE(ors->y_bands.size() == 1);  // ORS: higher is better, clinical below the cut-off 25
    CHECK(ors->y_bands[0].y0 == 0);
    CHECK(ors->y_bands[0].y1 == 25);
}

TEST_CASE("the review's Confirm button confirms a change-event candidate", "[ui][change-events]") {
    MeasuresFixture f;
    // Ana pursues (blame_shift), Ben withdraws (withdraw_emotion); Ben's
    // vulnerable_share at 100 s is followed by Ana's validate at 110 s: one
    // withdrawer re-engagement candidate, by Ben.
    Session s = services::start_session(f.practice(), f.info.id, "2026-03-02");
    test::add_observation(f.practice(), s, Who::A, 10, "blame_shift");
    test::add_observation(f.practice(), s, Who::B, 20, "withdraw_emotion");
    test::add_observation(f.practice(), s, Who::B, 100, "vulnerable_share");
    test::add_observation(f.practice(), s, Who::A, 110, "validate");
    s = test::end_session(f.practice(), s, 900);
    {
        const services::SessionReview review = services::load_session_review(f.practice(), f.info.id, s.id);
        REQUIRE(review.change_events.candidates.size() == 1);
        CHECK(review.change_events.candidates[0].kind == ChangeEventKind::WithdrawerReengagement);
        REQUIRE(review.decisions.empty());
    }
    f.model().open_review(f.info.id, s.id);
    f.ui.run_frames(3);
    f.click("/observations_", {"##below", "###events"});
    f.click("/observations_", {"##below", "###events", "##candidates", 0, "Confirm"});

    const services::SessionReview review = services::load_session_review(f.practice(), f.info.id, s.id);
    REQUIRE(review.decisions.size() == 1);
    CHECK(review.decisions[0].decision == CandidateDecision::Confirmed);
    CHECK(decision_for(review.change_events.candidates[0], review.decisions) != nullptr);
}

TEST_CASE("the hand-over check-in shows nothing else of the record and returns only with the passphrase",
          "[ui][measures][hand-over]") {
    MeasuresFixture f;
    f.model().open_case(f.info.id);
    f.ui.run_frames(3);
    REQUIRE(f.ui.window_shown("##view_"));
    ui::AppModel::HandOver hand_over;
    hand_over.case_id = f.info.id;
    hand_over.partner = Who::B;
    hand_over.partner_name = "Ben";
    hand_over.date = "2026-03-02";
    f.model().start_hand_over(hand_over);
    f.ui.run_frames(2);
    CHECK(f.ui.window_shown("##handover"));
    CHECK_FALSE(f.ui.window_shown("##view_"));

    // Ben answers the five statements 4, 3, 2, 1, 0 and is done: a check-in total of 10.
    for (int item = 1; item <= 5; ++item) {
        const char* labels[] = {"4 Completely", "3 Mostly", "2 Somewhat", "1 A little", "0 Not at all"};
        f.click("##handover", {item, labels[item - 1]});
    }
    f.click("##handover", {"Done"});
    const std::vector<Measure> stored = services::list_measures(f.practice(), f.info.id);
    REQUIRE(stored.size() == 1);
    CHECK(stored[0].partner == Who::B);
    CHECK(stored[0].instrument_id == "checkin");
    CHECK(measure_total(stored[0]) == 10.0);

    f.click("##handover", {"##passphrase"});
    f.ui.type_text("wrong horse");
    f.ui.press_key(ui::keys::kEnter);
    f.ui.run_frames(2);
    CHECK(f.model().hand_over().has_value());
    CHECK_FALSE(f.ui.window_shown("##view_"));

    f.click("##handover", {"##passphrase"});
    f.ui.type_text("correct horse");
    f.ui.press_key(ui::keys::kEnter);
    f.ui.run_frames(3);
    CHECK_FALSE(f.model().hand_over().has_value());
    CHECK(f.ui.window_shown("##view_"));
}

TEST_CASE("the case view's measures table asks for an alliance conversation when the latest SRS total is below 36",
          "[ui][measures]") {
    MeasuresFixture f;
    const auto add = [&](Who who, std::vector<std::optional<double>> items) {
        Measure m;
        m.case_id = f.info.id;
        m.partner = who;
        m.instrument_id = "srs";
        m.date = "2026-03-02";
        m.items = std::move(items);
        services::add_measure(f.practice(), m);
    };
    add(Who::A, {9, 9, 8, 9});    // 35: below 36
    add(Who::B, {9, 9, 9, 9.5});  // 36.5
    f.model().open_case(f.info.id);
    f.ui.run_frames(3);
    // No session yet, so no chart: the words can come from the table alone.
    REQUIRE(test::text_on_screen(f.ui, "Charts appear once the first session has been logged."));
    const auto row_of = [&](const std::string& text) {
        const auto run = f.ui.find_text(text);
        return run ? std::optional<float>((run->min.y + run->max.y) / 2) : std::nullopt;
    };
    const auto flagged = row_of("below 36: talk about the alliance");
    const auto ana = row_of("Ana (A)");
    const auto ben = row_of("Ben (B)");
    REQUIRE(flagged);
    REQUIRE(ana);
    REQUIRE(ben);
    CHECK(std::abs(*flagged - *ana) < 6.0f);  // Ana's row, not Ben's
    CHECK(std::abs(*flagged - *ben) > 6.0f);
    CHECK(test::text_on_screen(f.ui, "no cut-off"));  // Ben's: no cut-off, no flag
}

TEST_CASE("at the end of a session both partners' scores are entered tied to it, and a partner's check-in starts there",
          "[ui][measures][hand-over]") {
    MeasuresFixture f;
    const Session s = services::start_session(f.practice(), f.info.id, "2026-03-02");
    f.model().open_session(f.info.id, s.id);
    f.ui.run_frames(3);
    f.click("/##view_", {"End session..."});
    REQUIRE(f.ui.popup_open("End session"));
    f.click("End session", {"Enter measures..."});
    REQUIRE(f.ui.popup_open(kDialog));
    f.click(kDialog, {"Instrument"});
    f.click("##Combo_02", {"ORS (Outcome Rating Scale)"});  // a combo in a modal in a modal: popup depth 2
    // Ana 4 + 5 + 6 + 7 = 22; Ben 8 + 8 + 9 + 9 = 34.
    const char* ana[] = {"4", "5", "6", "7"};
    const char* ben[] = {"8", "8", "9", "9"};
    for (int item = 1; item <= 4; ++item) {
        f.type_score("A", item, ana[item - 1]);
        f.type_score("B", item, ben[item - 1]);
    }
    f.click(kDialog, {"Save"});
    const std::vector<Measure> stored = services::list_measures(f.practice(), f.info.id);
    REQUIRE(stored.size() == 2);
    for (const Measure& m : stored) {
        INFO("partner " << to_string(m.partner));
        CHECK(m.session_id == std::optional<RowId>(s.id));  // tied to the session being ended
        CHECK(m.date == "2026-03-02");                      // and dated with it
        CHECK(measure_total(m) == (m.partner == Who::A ? 22.0 : 34.0));
    }

    // Ben fills the check-in himself: the dialogs close, only the check-in shows.
    f.click(kDialog, {"###handover_B"});
    REQUIRE(f.model().hand_over().has_value());
    CHECK(f.model().hand_over()->partner == Who::B);
    CHECK(f.model().hand_over()->session_id == std::optional<RowId>(s.id));
    f.ui.run_frames(2);
    CHECK(f.ui.window_shown("##handover"));
    CHECK_FALSE(f.ui.popup_open(kDialog));
    CHECK_FALSE(f.ui.popup_open("End session"));
    CHECK_FALSE(f.ui.window_shown("##view_"));
}

TEST_CASE("the Enter measures dialog shows its date and session choices whole", "[ui][measures]") {
    MeasuresFixture f;
    f.open_dialog_with_ors();
    for (const char* shown : {"Date (yyyy-mm-dd)", "not tied to a session", "Session"}) {
        INFO(shown);
        const auto run = f.ui.find_text(shown);
        REQUIRE(run);
        CHECK_FALSE(run->clipped);
    }
}

namespace {

// ORS of 2026-03-01: Ana 5 + 6 + 7 + 8 = 26 and Ben 2 + 3 + 4 + 1 = 10. Returns them (Ana's first).
std::vector<Measure> add_two_ors(services::OpenPractice& practice, RowId case_id) {
    std::vector<Measure> out;
    for (const auto& [who, items] : {std::pair{Who::A, std::vector<std::optional<double>>{5, 6, 7, 8}},
                                     std::pair{Who::B, std::vector<std::optional<double>>{2, 3, 4, 1}}}) {
        Measure m;
        m.case_id = case_id;
        m.partner = who;
        m.instrument_id = "ors";
        m.date = "2026-03-01";
        m.items = items;
        out.push_back(services::add_measure(practice, m));
    }
    return out;
}

// The id path of a button on a measure's row in the case view's list.
std::vector<test::Headless::IdPart> row_button(const Measure& m, const char* button) {
    return {"###administrations", "##administrations", static_cast<int>(m.id), button};
}

}  // namespace

TEST_CASE(
    "the case's clinician corrects one measure from the case view's list; it keeps its identity and the "
    "other partner's column stays closed",
    "[ui][measures]") {
    MeasuresFixture f;
    const std::vector<Measure> before = add_two_ors(f.practice(), f.info.id);
    f.open_measure_list();
    f.click("/charts_", row_button(before[0], "Correct..."));
    REQUIRE(f.ui.popup_open(kDialog));
    CHECK(test::text_on_screen(f.ui, "Couple M: correcting Ana (A)'s ors of 2026-03-01"));
    // The title bar says so too (the popup keeps its name).
    const auto title_bar = [&] {
        std::string titles;
        for (const auto& run : f.ui.shown_text())
            if (run.window.find(kDialog) != std::string::npos &&
                (run.text == "Correct a measure" || run.text == "Enter measures"))
                titles += run.text + ";";
        return titles;
    };
    CHECK(title_bar() == "Correct a measure;");
    // Ben's column takes no input: what is typed after clicking his cell goes nowhere (a score
    // there would show "Ben (B): no total (an item is missing)" under the grid).
    f.type_score("B", 1, "4");
    CHECK_FALSE(f.ui.find_text("Ben (B):").has_value());
    // Ana's item 4 was 8; it should have been 9.
    f.retype_score("A", 4, "9");
    f.click(kDialog, {"Save"});
    CHECK_FALSE(f.ui.popup_open(kDialog));
    CHECK(test::text_on_screen(f.ui, "Corrected Ana (A)'s ORS (Outcome Rating Scale) of 2026-03-01: total 27."));

    const std::vector<Measure> after = services::list_measures(f.practice(), f.info.id);
    REQUIRE(after.size() == 2);
    CHECK(after[0].id == before[0].id);
    CHECK(after[0].uuid == before[0].uuid);
    CHECK(after[0].items == std::vector<std::optional<double>>{5.0, 6.0, 7.0, 9.0});
    CHECK(after[1].items == before[1].items);  // Ben's untouched

    // Opened to enter measures again, the dialog says so.
    f.click("/##view_", {"Enter measures..."});
    REQUIRE(f.ui.popup_open(kDialog));
    CHECK(title_bar() == "Enter measures;");
}

TEST_CASE("a measure removed from the case view's list is gone after its confirmation; Cancel keeps it",
          "[ui][measures]") {
    MeasuresFixture f;
    const std::vector<Measure> before = add_two_ors(f.practice(), f.info.id);
    f.open_measure_list();
    f.click("/charts_", row_button(before[1], "Remove..."));
    REQUIRE(f.ui.popup_open("Remove a measure"));
    CHECK(test::text_on_screen(f.ui, "Remove Ben (B)'s ors of 2026-03-01 (total 10)?"));
    f.click("Remove a measure", {"Cancel"});
    CHECK_FALSE(f.ui.popup_open("Remove a measure"));
    CHECK(services::list_measures(f.practice(), f.info.id).size() == 2);

    f.click("/charts_", row_button(before[1], "Remove..."));
    f.click("Remove a measure", {"Remove"});
    const std::vector<Measure> after = services::list_measures(f.practice(), f.info.id);
    REQUIRE(after.size() == 1);
    CHECK(after[0].uuid == before[0].uuid);  // Ana's stays
    CHECK(test::text_on_screen(f.ui, "Removed Ben (B)'s ors of 2026-03-01 (total 10)."));
}

TEST_CASE("the case's supervisor reads each measure in the list, with nothing to correct or remove", "[ui][measures]") {
    test::TempDir dir;
    auto practice = test::new_practice(dir / "practice.db");
    const Case c = test::add_couple(*practice, "Couple S", "Ana", "Ben");
    const std::vector<Measure> measures = add_two_ors(*practice, c.id);
    test::add_person(*practice, "Dr Super", GrantRole::Supervisor);
    services::set_case_supervisor(*practice, "Couple S", "Dr Super");
    practice = test::sign_in_as(std::move(practice), "Dr Super");
    test::Headless ui{ImVec2(1400.0f, 1000.0f)};
    ui.shell().model().set_practice(std::move(practice));
    ui.shell().model().open_case(c.id);
    ui.run_frames(3);
    test::click_item(ui, "/charts_", {"###administrations"});
    // Both rows are listed, a date cell each ...
    CHECK(test::text_on_screen(ui, "Each measure (2)"));
    const std::vector<test::Headless::ShownText> shown = ui.shown_text();
    CHECK(std::count_if(shown.begin(), shown.end(), [](const auto& run) { return run.text == "2026-03-01"; }) == 2);
    // ... and neither has a button.
    for (const Measure& m : measures) {
        CHECK_FALSE(ui.find_item("/charts_", row_button(m, "Correct...")).has_value());
        CHECK_FALSE(ui.find_item("/charts_", row_button(m, "Remove...")).has_value());
    }
    // Without the buttons, a correction attempted anyway is refused by the service.
    Measure changed = measures[0];
    changed.items = {1, 1, 1, 1};
    CHECK_THROWS(services::correct_measure(ui.shell().model().practice(), measures[0].id, changed));
}

TEST_CASE("a correction out of the item's range is refused in the dialog and changes nothing", "[ui][measures]") {
    MeasuresFixture f;
    const std::vector<Measure> before = add_two_ors(f.practice(), f.info.id);
    f.open_measure_list();
    f.click("/charts_", row_button(before[0], "Correct..."));
    REQUIRE(f.ui.popup_open(kDialog));
    f.retype_score("A", 4, "11");  // ORS items take 0-10
    f.click(kDialog, {"Save"});
    CHECK(f.ui.popup_open(kDialog));  // kept open, with the reason
    CHECK(test::text_on_screen(f.ui, "Not saved: Ana (A): item 4 is 11; it takes 0-10."));
    const std::vector<Measure> after = services::list_measures(f.practice(), f.info.id);
    REQUIRE(after.size() == 2);
    CHECK(after[0].items == before[0].items);
    CHECK(after[0].uuid == before[0].uuid);
}
