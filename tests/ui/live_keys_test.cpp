// The live session's keys that used to lose or hide observations (issue 18,
// items 1-5): quote mode and the code keys typed into a quote, undo and redo,
// a letter with no code for who is chosen, closing during a running session,
// and Alt+digit kept from the menu bar.
#include <catch2/catch_test_macros.hpp>

#include "headless.h"
#include "session_data.h"
#include "support/practice_fixture.h"
#include "support/test_support.h"
#include "ui/keys.h"

using namespace attune;
namespace keys = attune::ui::keys;

namespace {

// Leila (A) and Omar (B) in a session just started, shown in the live view.
struct LiveKeys {
    test::TempDir dir;
    test::Headless ui;
    Case couple;
    Session session;

    LiveKeys() {
        auto practice = test::new_practice(dir / "practice.db", "correct horse", "Dr Keys");
        couple = test::add_couple(*practice, "Couple Q", "Leila", "Omar");
        session = services::start_session(*practice, couple.id, "2026-11-22");
        model().set_practice(std::move(practice));
        model().open_session(couple.id, session.id);
        ui.run_frames(3);
    }
    ui::AppModel& model() { return ui.shell().model(); }
    std::vector<Observation> observations() { return test::stored_observations(model().practice(), session); }
    Session stored() { return test::stored_session(model().practice(), session.id); }
    void key(char c) { ui.press_key(c >= 'a' && c <= 'z' ? keys::letter(c) : c); }
    void keys_typed(const std::string& text) {
        for (const char c : text)
            key(c);
    }
    void ctrl(char c, bool shift = false) { ui.press_key(keys::letter(c), true, shift); }
    bool shows(const std::string& text) { return test::text_on_screen(ui, text); }
};

}  // namespace

// [SECTION] 1. Quote mode

TEST_CASE("in quote mode the field says Enter saves and Esc cancels, and the code pad fades", "[ui][live-keys]") {
    LiveKeys f;
    f.keys_typed("1d");
    f.key('\'');
    f.ui.run_frames(2);
    CHECK(f.shows("Enter saves \xC2\xB7 Esc cancels"));
    CHECK(f.shows("keys type text, no codes are logged"));
    f.ui.type_text("you never listen");
    f.ui.press_key(keys::kEnter);
    f.ui.run_frames(1);
    CHECK_FALSE(f.shows("Enter saves \xC2\xB7 Esc cancels"));
    const auto saved = f.observations();
    REQUIRE(saved.size() == 1);
    CHECK(saved[0].comment == "you never listen");
    // Out of quote mode, letters log codes again.
    f.key('d');
    CHECK(f.observations().size() == 2);
}

TEST_CASE("Esc in quote mode cancels the quote: the press keeps none", "[ui][live-keys]") {
    LiveKeys f;
    f.keys_typed("1d");
    f.key('\'');
    f.ui.run_frames(2);
    f.ui.type_text("half a sentence");
    f.ui.press_key(keys::kEscape);
    f.ui.run_frames(1);
    const auto saved = f.observations();
    REQUIRE(saved.size() == 1);
    CHECK(saved[0].comment.empty());
    f.key('b');  // the keys log again
    CHECK(f.observations().size() == 2);
}

TEST_CASE("code keys typed at the end of a quote are offered back, and Enter logs them at their own moments",
          "[ui][live-keys]") {
    LiveKeys f;
    f.keys_typed("1d");
    f.key('\'');
    f.ui.run_frames(2);
    f.ui.type_text("you never listen ");
    f.ui.type_text("2s4r");  // meant as: Omar shuts down, the therapist reflects
    f.ui.press_key(keys::kEnter);
    f.ui.run_frames(1);
    // Nothing is lost meanwhile: the quote was saved as typed.
    REQUIRE(f.observations().size() == 1);
    CHECK(f.observations()[0].comment == "you never listen 2s4r");
    CHECK(f.shows("Log 2 s, 4 r as codes instead (Enter)"));

    f.ui.press_key(keys::kEnter);
    f.ui.run_frames(1);
    const auto logged = f.observations();
    REQUIRE(logged.size() == 3);
    CHECK(logged[0].code_id == "defensive_anger");
    CHECK(logged[0].comment == "you never listen");
    CHECK(logged[1].who == Who::B);
    CHECK(logged[1].code_id == "shut_down");
    CHECK(logged[2].who == Who::Therapist);
    CHECK(logged[2].code_id == "t_reflect");
    CHECK(logged[1].t >= logged[0].t);
    CHECK(logged[2].t >= logged[1].t);
    CHECK(f.shows("Logged: Omar: Shuts down, Therapist: Therapist reflects emotion"));
}

TEST_CASE("declining the offer keeps the quote as typed and logs nothing", "[ui][live-keys]") {
    LiveKeys f;
    f.keys_typed("1d");
    f.key('\'');
    f.ui.run_frames(2);
    f.ui.type_text("2s4r");
    f.ui.press_key(keys::kEnter);
    f.ui.run_frames(1);
    REQUIRE(f.shows("Log 2 s, 4 r as codes instead"));
    f.ui.press_key(keys::kEscape);
    f.ui.run_frames(1);
    CHECK_FALSE(f.shows("Log 2 s, 4 r as codes instead"));
    const auto saved = f.observations();
    REQUIRE(saved.size() == 1);
    CHECK(saved[0].comment == "2s4r");
}

// [SECTION] 2. Undo and redo

TEST_CASE("Ctrl+Z says what it undid; Ctrl+Shift+Z redoes it, never undoes another", "[ui][live-keys]") {
    LiveKeys f;
    f.keys_typed("1d2w");
    const auto before = f.observations();
    REQUIRE(before.size() == 2);

    f.ctrl('z');
    REQUIRE(f.observations().size() == 1);
    CHECK(f.shows("Undone: Omar: Withdraws from emotion at 00:0"));
    CHECK(f.shows("Ctrl+Shift+Z to redo"));

    f.ctrl('z', true);
    auto after = f.observations();
    REQUIRE(after.size() == 2);
    CHECK(after[1].uuid == before[1].uuid);
    CHECK(after[1].t == before[1].t);
    CHECK(f.shows("Redone: Omar: Withdraws from emotion"));

    f.ctrl('z', true);  // nothing left to redo: both observations stay
    CHECK(f.observations().size() == 2);
    CHECK(f.shows("Nothing to redo."));
}

TEST_CASE("Ctrl+Y redoes as Ctrl+Shift+Z does", "[ui][live-keys]") {
    LiveKeys f;
    f.keys_typed("1d");
    f.ctrl('z');
    REQUIRE(f.observations().empty());
    f.ctrl('y');
    REQUIRE(f.observations().size() == 1);
    CHECK(f.observations()[0].code_id == "defensive_anger");
}

// [SECTION] 3. A letter with no code for who is chosen

TEST_CASE("a letter with no code for who is chosen says so in the pad", "[ui][live-keys]") {
    LiveKeys f;
    f.keys_typed("1j");
    CHECK(f.observations().empty());
    CHECK(f.shows("Leila chosen: no code on 'j'"));
    f.keys_typed("4s");  // shuts down is a partner's code
    CHECK(f.observations().empty());
    CHECK(f.shows("Therapist chosen: no code on 's' for the therapist"));
}

// [SECTION] 4. Closing during a running session

TEST_CASE("Ctrl+Q during a running session asks first; Cancel keeps Attune open and the clock running",
          "[ui][live-keys]") {
    LiveKeys f;
    f.ctrl('q');
    f.ui.run_frames(2);
    REQUIRE(f.ui.popup_open("Close Attune?"));
    CHECK_FALSE(f.ui.shell().quit_requested());
    CHECK(f.shows("Session 1 of Couple Q is running"));
    const auto cancel = f.ui.find_item("Close Attune?", {"Cancel"});
    REQUIRE(cancel.has_value());
    f.ui.click(*cancel);
    f.ui.run_frames(1);
    CHECK_FALSE(f.ui.popup_open("Close Attune?"));
    CHECK_FALSE(f.ui.shell().quit_requested());
    CHECK(f.stored().state == SessionState::Running);
}

TEST_CASE("closing the window during a running session: Pause and close pauses it, then closes", "[ui][live-keys]") {
    LiveKeys f;
    f.keys_typed("1d");
    f.ui.shell().request_quit();  // what the window's close button does
    f.ui.run_frames(2);
    REQUIRE(f.ui.popup_open("Close Attune?"));
    const auto pause = f.ui.find_item("Close Attune?", {"Pause and close"});
    REQUIRE(pause.has_value());
    f.ui.click(*pause);
    CHECK(f.ui.shell().quit_requested());
    CHECK(f.stored().state == SessionState::Paused);
}

TEST_CASE("End session... in the close question opens the ratings; ending there closes Attune", "[ui][live-keys]") {
    LiveKeys f;
    f.model().show_caseload();  // the session runs on while the caseload is shown
    f.ui.run_frames(2);
    f.ctrl('q');
    f.ui.run_frames(2);
    const auto end = f.ui.find_item("Close Attune?", {"End session..."});
    REQUIRE(end.has_value());
    f.ui.click(*end);
    f.ui.run_frames(3);
    REQUIRE(f.ui.popup_open("End session"));
    CHECK_FALSE(f.ui.shell().quit_requested());
    const auto confirm = f.ui.find_item("End session", {"Confirm: end session"});
    REQUIRE(confirm.has_value());
    f.ui.click(*confirm);
    CHECK(f.stored().state == SessionState::Ended);
    CHECK(f.ui.shell().quit_requested());
}

TEST_CASE("Ctrl+Q with no session running closes at once", "[ui][live-keys]") {
    LiveKeys f;
    f.ui.press_key(keys::kF5);  // paused: nothing runs
    REQUIRE(f.stored().state == SessionState::Paused);
    f.ctrl('q');
    CHECK(f.ui.shell().quit_requested());
    CHECK_FALSE(f.ui.popup_open("Close Attune?"));
}

// [SECTION] 5. Alt+digit and the menu bar

TEST_CASE("Alt+1..3 sets the intensity and leaves the menu bar alone", "[ui][live-keys]") {
    LiveKeys f;
    f.keys_typed("1d");
    for (int d = 1; d <= 3; ++d) {
        f.ui.press_key(keys::digit(d), false, false, true);
        f.ui.run_frames(2);
        CHECK_FALSE(keys::menu_bar_has_keyboard());
        REQUIRE(f.observations().size() == 1);
        CHECK(f.observations()[0].intensity == d);
    }
    // A letter afterwards still logs a code (the keyboard did not go to the menus).
    f.key('b');
    CHECK(f.observations().size() == 2);
}
