// The live session's and the review's dialogs used with the keyboard: End
// session (Tab to the ratings, Enter ends; Enter in the homework line only adds
// the line; Escape leaves the session running) and the Export dialog (the file
// name has the keyboard, Enter saves, Escape closes). The shell's and the
// caseload's dialogs are in keyboard_navigation_test.cpp.
#include "headless.h"

#include "io/practice.h"
#include "store/repositories.h"
#include "support/practice_fixture.h"
#include "support/test_support.h"
#include "ui/export_dialog.h"
#include "ui/keys.h"

#include <catch2/catch_test_macros.hpp>

using namespace attune;
namespace keys = attune::ui::keys;

namespace {

// One couple with a running session of three observations, open in the live view.
struct SessionFixture {
    test::TempDir dir;
    test::Headless ui;
    Case info;
    Session session;

    SessionFixture() {
        io::Practice practice = test::new_practice(dir / "practice.db", "keyboard passphrase", "Dr Keys");
        store::Database& db = *practice.db;
        Case c;
        c.label = "K-1";
        c.partner_a.display_name = "Ana";
        c.partner_b.display_name = "Ben";
        info = store::CaseRepository(db).create(c);
        session = store::SessionRepository(db).start(info.id, "2026-11-22", "10:00", 1000.0);
        for (int i = 1; i <= 3; ++i) {
            Observation o;
            o.session_id = session.id;
            o.rater_id = db.actor().id;
            o.t = 10.0 * i;
            o.who = Who::A;
            o.code_id = "defensive_anger";
            store::ObservationRepository(db).add(o);
        }
        model().set_practice(std::move(practice));
        model().open_session(info.id, session.id);
        ui.run_frames(3);
    }
    ui::AppModel& model() { return ui.shell().model(); }
    Session stored() { return *store::SessionRepository(model().db()).get(session.id); }

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

TEST_CASE("End session: Enter in the homework line adds it; Escape then leaves the session running",
          "[ui][keyboard]") {
    SessionFixture f;
    f.open_end_dialog();
    for (int i = 0; i < 4; ++i) f.press(keys::kTab);  // three ratings, then the homework line
    f.type("Walk together twice");
    f.press(keys::kEnter);
    CHECK(f.ui.popup_open("End session"));
    const auto homework = store::SessionRepository(f.model().db()).homework_agreed_in(f.session.id);
    REQUIRE(homework.size() == 1);
    CHECK(homework[0].description == "Walk together twice");
    CHECK(f.stored().state != SessionState::Ended);

    f.press(keys::kEscape);
    CHECK_FALSE(f.ui.popup_open("End session"));
    CHECK(f.stored().state != SessionState::Ended);
    CHECK(f.model().screen() == ui::Screen::Session);
}

// [SECTION] Export dialog (review)

TEST_CASE("the Export dialog takes the file name from the keyboard; Enter saves, Escape closes", "[ui][keyboard]") {
    SessionFixture f;
    store::SessionRepository(f.model().db()).end(f.session.id, 600);
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
    store::SessionRepository(f.model().db()).end(f.session.id, 600);
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
