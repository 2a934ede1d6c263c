// The live session's and the review's dialogs used with the keyboard: End
// session (Tab to the ratings, Enter ends; Enter in the homework line only adds
// the line; Escape leaves the session running), the live session's notes (Tab
// reaches them, Escape leaves them keeping the text), Edit and Delete
// observation, and the Export dialog (the file name has the keyboard, Enter
// saves, Escape closes). The shell's and the caseload's dialogs are in
// keyboard_navigation_test.cpp.
#include <catch2/catch_test_macros.hpp>
#include <chrono>
#include <thread>

#include "headless.h"
#include "session_data.h"
#include "support/practice_fixture.h"
#include "support/test_support.h"
#include "ui/export_dialog.h"
#include "ui/keys.h"

using namespace attune;
namespace keys = attune::ui::keys;

namespace {

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

// One couple with a running session of three observations, open in the live view.
struct SessionFixture {
    test::TempDir dir;
    test::Headless ui;
    Case info;
    Session session;

    SessionFixture() {
        auto practice = test::new_practice(dir / "practice.db", "keyboard passphrase", "Dr Keys");
        info = test::add_couple(*practice, "K-1");
        session = services::start_session(*practice, info.id, "2026-11-22");
        for (int i = 1; i <= 3; ++i)
            test::add_observation(*practice, session, Who::A, 10.0 * i, "defensive_anger");
        model().set_practice(std::move(practice));
        model().open_session(info.id, session.id);
        ui.run_frames(3);
    }
    ui::AppModel& model() { return ui.shell().model(); }
    services::OpenPractice& practice() { return model().practice(); }
    Session stored() { return test::stored_session(practice(), session.id); }
    std::vector<Observation> observations() { return test::stored_observations(practice(), session); }

    void press(int key) {
        ui.press_key(key);
        ui.run_frames(1);
    }
    void type(const char* text) {
        ui.type_text(text);
        ui.run_frames(1);
    }
    // "End session..." has no shortcut (letters log codes there): it is clicked open.
    void open_end_dialog() {
        const auto at = ui.find_item("/##view_", {"End session..."});
        REQUIRE(at.has_value());
        ui.click(*at);
        ui.run_frames(2);
        REQUIRE(ui.popup_open("End session"));
    }
};

}  // namespace

// [SECTION] End session

TEST_CASE("End session: Tab to the ratings, type them, Enter ends the session with them", "[ui][keyboard]") {
    SessionFixture f;
    f.open_end_dialog();
    f.press(keys::kTab);  // attunement of A
    f.type("7");
    f.press(keys::kTab);  // attunement of B
    f.type("5");
    f.press(keys::kEnter);
    f.ui.run_frames(2);
    CHECK_FALSE(f.ui.popup_open("End session"));
    const Session s = f.stored();
    CHECK(s.state == SessionState::Ended);
    CHECK(s.ratings.attunement_a == 7);
    CHECK(s.ratings.attunement_b == 5);
    CHECK_FALSE(s.ratings.safety.has_value());
    CHECK(f.model().screen() == ui::Screen::CaseTrends);
}

TEST_CASE("End session: Enter in the homework line adds it; Escape then leaves the session running", "[ui][keyboard]") {
    SessionFixture f;
    f.open_end_dialog();
    for (int i = 0; i < 4; ++i)
        f.press(keys::kTab);  // three ratings, then the homework line
    f.type("Walk together twice");
    f.press(keys::kEnter);
    CHECK(f.ui.popup_open("End session"));
    // The session note lists the homework agreed in the session.
    CHECK(contains(test::session_note_text(f.practice(), f.session), "Walk together twice"));
    CHECK(f.stored().state != SessionState::Ended);

    f.press(keys::kEscape);
    CHECK_FALSE(f.ui.popup_open("End session"));
    CHECK(f.stored().state != SessionState::Ended);
    CHECK(f.model().screen() == ui::Screen::Session);
}

// [SECTION] Notes in the live session

namespace {

// A note saves when typing has paused (LiveSession::kNoteDebounceSeconds): wait that out.
void let_notes_save(test::Headless& ui) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1300));
    ui.run_frames(2);
}

}  // namespace

TEST_CASE("Tab in the live session goes through the progress note's fields, then the private process note",
          "[ui][keyboard]") {
    SessionFixture f;
    f.press(keys::kTab);
    f.type("Data typed");
    f.press(keys::kTab);
    f.type("Assessment typed");
    f.press(keys::kTab);
    f.type("Plan typed");
    f.press(keys::kTab);
    f.ui.press_key(keys::letter('d'));  // a code's key types into the field: it logs nothing
    f.type(" private");
    f.press(keys::kTab);  // round again to Data
    f.type(" more");
    let_notes_save(f.ui);

    const ProgressNote note = test::stored_note(f.practice(), f.session);
    CHECK(note.data == "Data typed more");
    CHECK(note.assessment == "Assessment typed");
    CHECK(note.plan == "Plan typed");
    const std::string with_private = test::session_note_text(f.practice(), f.session, true);
    CHECK(contains(with_private, "d private"));
    CHECK_FALSE(contains(test::session_note_text(f.practice(), f.session), "d private"));
    CHECK(f.observations().size() == 3);
}

TEST_CASE("Escape leaves a note keeping all that was typed, and the keys log codes again", "[ui][keyboard]") {
    SessionFixture f;
    f.press(keys::kTab);
    f.type("First part.");
    let_notes_save(f.ui);
    f.type(" Second part.");
    f.press(keys::kEscape);  // ImGui alone would put the field back to "" and save that
    let_notes_save(f.ui);
    CHECK(test::stored_note(f.practice(), f.session).data == "First part. Second part.");

    f.press(keys::digit(2));
    f.press(keys::letter('d'));  // B: defensive anger
    const auto observations = f.observations();
    REQUIRE(observations.size() == 4);
    CHECK(observations.back().who == Who::B);
    CHECK(observations.back().code_id == "defensive_anger");
}

// [SECTION] Edit and Delete observation

namespace {

// Clicks a button of the observation table's newest row (row 0: the observation at 30 s).
void click_newest_row(SessionFixture& f, const char* button) {
    const auto at = f.ui.find_item("##record", {"##observations", 0, button});
    REQUIRE(at.has_value());
    f.ui.click(*at);
    f.ui.run_frames(2);
}

Observation stored_observation(SessionFixture& f, double t) {
    for (const Observation& o : f.observations())
        if (o.t == t) return o;
    FAIL("no observation at " << t << " s");
    return {};
}

}  // namespace

TEST_CASE("Edit observation: the time has the keyboard, Tab reaches the quote, Enter saves", "[ui][keyboard]") {
    SessionFixture f;
    click_newest_row(f, "Edit");
    REQUIRE(f.ui.popup_open("Edit observation"));
    f.ui.press_key(keys::letter('a'), true);  // the time field has the keyboard: select its text
    f.type("42");
    f.press(keys::kTab);  // the quote (the combos are not Tab stops)
    f.type("You never listen");
    f.press(keys::kEnter);
    CHECK_FALSE(f.ui.popup_open("Edit observation"));
    const Observation edited = stored_observation(f, 42.0);
    CHECK(edited.comment == "You never listen");
    CHECK(edited.code_id == "defensive_anger");
    CHECK(f.observations().size() == 3);
}

TEST_CASE("Edit observation: Escape, also from inside a field, changes nothing", "[ui][keyboard]") {
    SessionFixture f;
    click_newest_row(f, "Edit");
    REQUIRE(f.ui.popup_open("Edit observation"));
    f.press(keys::kTab);
    f.type("not kept");
    f.press(keys::kEscape);
    CHECK_FALSE(f.ui.popup_open("Edit observation"));
    CHECK(stored_observation(f, 30.0).comment.empty());
}

TEST_CASE("Delete observation: Enter deletes the row asked about; Escape keeps it", "[ui][keyboard]") {
    SessionFixture f;
    click_newest_row(f, "Delete");
    REQUIRE(f.ui.popup_open("Delete observation?"));
    f.press(keys::kEscape);
    CHECK_FALSE(f.ui.popup_open("Delete observation?"));
    CHECK(f.observations().size() == 3);

    click_newest_row(f, "Delete");
    REQUIRE(f.ui.popup_open("Delete observation?"));
    f.press(keys::kEnter);
    CHECK_FALSE(f.ui.popup_open("Delete observation?"));
    const auto left = f.observations();
    REQUIRE(left.size() == 2);
    CHECK(left[0].t == 10.0);
    CHECK(left[1].t == 20.0);
}

// [SECTION] Export dialog (review)

TEST_CASE("the Export dialog takes the file name from the keyboard; Enter saves, Escape closes", "[ui][keyboard]") {
    SessionFixture f;
    test::end_session(f.practice(), f.session, 600);
    f.model().open_review(f.info.id, f.session.id);
    f.ui.run_frames(3);
    f.model().request_export_dialog();  // what "Export..." does
    f.ui.run_frames(3);
    REQUIRE(f.model().shown_export_dialog() != nullptr);
    const auto out = f.dir / "note by keyboard.txt";
    f.ui.press_key(keys::letter('a'), true);  // the file name has the keyboard: select its text
    f.type(out.c_str());
    f.press(keys::kEnter);
    REQUIRE(std::filesystem::exists(out));
    CHECK(test::read_file(out) == f.model().shown_export_dialog()->preview());
    f.press(keys::kEscape);
    f.ui.run_frames(1);
    CHECK(f.model().shown_export_dialog() == nullptr);
}

TEST_CASE("Escape closes the Export dialog with nothing written", "[ui][keyboard]") {
    SessionFixture f;
    test::end_session(f.practice(), f.session, 600);
    f.model().open_review(f.info.id, f.session.id);
    f.ui.run_frames(3);
    f.model().request_export_dialog();
    f.ui.run_frames(3);
    REQUIRE(f.model().shown_export_dialog() != nullptr);
    const auto out = f.dir / "never written.txt";
    f.ui.press_key(keys::letter('a'), true);
    f.type(out.c_str());
    f.press(keys::kEscape);
    f.ui.run_frames(1);
    CHECK(f.model().shown_export_dialog() == nullptr);
    CHECK_FALSE(std::filesystem::exists(out));
}

// [SECTION] Issue 18 item 15: the stage's own steps, by name; ending without ratings

TEST_CASE("End session warns while no rating is given, and the warning goes with the first rating",
          "[ui][keyboard][ratings]") {
    SessionFixture f;
    f.open_end_dialog();
    CHECK(test::text_on_screen(f.ui, "No rating given:"));
    f.press(keys::kTab);  // attunement of A
    f.type("6");
    f.press(keys::kTab);
    f.ui.run_frames(1);
    CHECK_FALSE(f.ui.find_text("No rating given:").has_value());
}

TEST_CASE("the step list offers the chosen stage's steps by name, and a click sets the step", "[ui][eft_steps]") {
    SessionFixture f;
    const auto click_text = [&](const std::string& text) {
        const auto at = f.ui.find_text(text);
        INFO(text);
        REQUIRE(at.has_value());
        f.ui.click(ImVec2((at->min.x + at->max.x) / 2, (at->min.y + at->max.y) / 2));
        f.ui.run_frames(2);
    };
    const auto stage = f.ui.find_item("/##view_", {"EFT stage"});
    REQUIRE(stage.has_value());
    f.ui.click(*stage);
    f.ui.run_frames(2);
    click_text("2 Restructuring");
    CHECK(f.stored().eft_stage == 2);
    const auto combo = f.ui.find_item("/##view_", {"step"});
    REQUIRE(combo.has_value());
    f.ui.click(*combo);
    f.ui.run_frames(2);
    CHECK(test::text_on_screen(f.ui, "5 Owning attachment needs and fears"));
    CHECK(test::text_on_screen(f.ui, "7 Asking for needs: re-engaging, softening"));
    CHECK_FALSE(f.ui.find_text("Alliance and assessment").has_value());  // step 1 is stage 1's
    CHECK_FALSE(f.ui.find_text("New solutions").has_value());            // step 8 is stage 3's
    click_text("6 Accepting the partner's new side");
    const Session s = f.stored();
    CHECK(s.eft_stage == 2);
    CHECK(s.eft_step == 6);
}
