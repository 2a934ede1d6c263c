// Auto-lock (issue 17, item 5): armed whenever a practice is open, on every
// screen, also while a new practice's recovery key is shown and while the
// window is minimised; the frame that locks shows nothing of the record; a
// running live session locks only its screen (its clock goes on); what names
// cases (messages, views' caches) goes with the lock. Time is the shell's
// injected clock (Shell::set_clock_for_tests); no real minute passes.
#include <catch2/catch_test_macros.hpp>

#include "headless.h"
#include "services/cases.h"
#include "session_data.h"
#include "support/practice_fixture.h"
#include "support/test_support.h"
#include "ui/keys.h"

using namespace attune;

namespace {

constexpr const char* kPassphrase = "auto-lock test passphrase";

struct AutoLockFixture {
    test::TempDir dir;
    test::Headless ui;
    double now = 10000;  // seconds on the shell's clock
    Case couple;

    explicit AutoLockFixture(int minutes = 2, bool lock_during_session = false) {
        ui.shell().set_clock_for_tests([this] { return now; });
        services::Settings settings;
        settings.auto_lock_minutes = minutes;
        settings.lock_during_session = lock_during_session;
        ui.shell().settings().set_current(settings);
        model().set_key_limits_for_tests(test::kTestKdf, test::kTestKdf);
        auto practice = test::new_practice(dir / "practice.attune-db", kPassphrase, "Dr Lock");
        couple = test::add_couple(*practice, "Couple Willow");
        model().set_practice(std::move(practice));
        ui.run_frames(3);
    }
    ui::AppModel& model() { return ui.shell().model(); }
    // The clock moves on by `seconds` with no input, then one frame is drawn.
    void idle_then_frame(double seconds) {
        now += seconds;
        ui.run_frames(1);
    }
};

}  // namespace

TEST_CASE("auto-lock locks the caseload after the set minutes and that very frame shows no case", "[ui][autolock]") {
    AutoLockFixture f(2);
    REQUIRE(test::text_on_screen(f.ui, "Couple Willow"));
    CHECK(f.ui.shell().auto_lock_in() == 120);

    f.idle_then_frame(119);
    REQUIRE(f.model().is_open());
    CHECK(f.ui.shell().auto_lock_in() == 1);

    f.idle_then_frame(2);
    CHECK_FALSE(f.model().is_open());
    // The frame in which it locked: the unlock screen, nothing of the caseload.
    CHECK_FALSE(f.ui.find_text("Couple Willow").has_value());
    CHECK(test::text_on_screen(f.ui, "Your passphrase"));
    CHECK(test::text_on_screen(f.ui, "Locked after 2 minutes without input."));
    CHECK(f.ui.shell().auto_lock_in() < 0);  // nothing open: not armed
}

TEST_CASE("input starts auto-lock's count again", "[ui][autolock]") {
    AutoLockFixture f(2);
    f.idle_then_frame(100);
    f.ui.move_mouse(ImVec2(300, 300));
    f.ui.run_frames(1);
    f.idle_then_frame(100);  // 200 s since opening, 100 s since the pointer moved
    CHECK(f.model().is_open());
    f.idle_then_frame(21);
    CHECK_FALSE(f.model().is_open());
}

TEST_CASE("auto-lock off (0 minutes) never locks", "[ui][autolock]") {
    AutoLockFixture f(0);
    CHECK(f.ui.shell().auto_lock_in() < 0);
    f.idle_then_frame(24 * 3600);
    CHECK(f.model().is_open());
}

TEST_CASE("while the window is minimised, auto-lock comes on time without a frame", "[ui][autolock]") {
    AutoLockFixture f(2);
    // What the main loop does while minimised: wait at most auto_lock_in(), then lock_if_due().
    f.now += 60;
    CHECK(f.ui.shell().auto_lock_in() == 60);
    CHECK_FALSE(f.ui.shell().lock_if_due());
    f.now += 60;
    CHECK(f.ui.shell().auto_lock_in() == 0);
    CHECK(f.ui.shell().lock_if_due());
    CHECK_FALSE(f.model().is_open());
    CHECK(f.ui.shell().auto_lock_in() < 0);  // nothing open: the minimised window waits for events alone
}

TEST_CASE("an ended session opened for reading locks like any other screen", "[ui][autolock]") {
    AutoLockFixture f(2);
    const Session s = services::start_session(f.model().practice(), f.couple.id, "2026-11-22");
    services::SessionEnding ending;
    ending.active_seconds = 600;
    services::end_session(f.model().practice(), s, ending);
    f.model().open_session(f.couple.id, s.id);
    f.ui.run_frames(3);
    REQUIRE(f.model().screen() == ui::Screen::Session);
    f.idle_then_frame(121);
    CHECK_FALSE(f.model().is_open());
    CHECK_FALSE(f.model().screen_locked());
}

TEST_CASE("a running live session locks only its screen; its passphrase returns to it", "[ui][autolock]") {
    AutoLockFixture f(2);
    const Session s = services::start_session(f.model().practice(), f.couple.id, "2026-11-22");
    f.model().open_session(f.couple.id, s.id);
    f.ui.run_frames(3);
    REQUIRE(test::text_on_screen(f.ui, "running"));
    REQUIRE(test::text_on_screen(f.ui, "End session..."));

    f.idle_then_frame(121);
    REQUIRE(f.model().is_open());  // the practice stays open: the session's clock and saving go on
    REQUIRE(f.model().screen_locked());
    CHECK_FALSE(f.ui.find_text("Couple Willow").has_value());
    CHECK_FALSE(f.ui.find_text("End session...").has_value());  // nothing of the session view
    CHECK(test::text_on_screen(f.ui, "A live session is running"));
    CHECK(f.ui.shell().auto_lock_in() < 0);  // locked already

    f.ui.run_frames(1);  // the passphrase field takes the keyboard as the screen appears
    f.ui.type_text("not the passphrase at all");
    f.ui.press_key(ui::keys::kEnter);
    f.ui.run_frames(1);
    CHECK(f.model().screen_locked());
    CHECK(test::text_on_screen(f.ui, "That is not the passphrase of the person signed in."));

    const auto field = f.ui.find_item("##attune", {"##screen_lock_passphrase"});
    REQUIRE(field.has_value());
    f.ui.click(*field);
    f.ui.type_text(kPassphrase);
    f.ui.press_key(ui::keys::kEnter);
    f.ui.run_frames(2);
    CHECK_FALSE(f.model().screen_locked());
    CHECK(f.model().screen() == ui::Screen::Session);
    CHECK(test::text_on_screen(f.ui, "running"));
    // The session kept running all along.
    CHECK(test::stored_session(f.model().practice(), s.id).state == SessionState::Running);
}

TEST_CASE("with Lock the practice too, a running live session's practice locks", "[ui][autolock]") {
    AutoLockFixture f(2, true);
    const Session s = services::start_session(f.model().practice(), f.couple.id, "2026-11-22");
    f.model().open_session(f.couple.id, s.id);
    f.ui.run_frames(3);
    f.idle_then_frame(121);
    CHECK_FALSE(f.model().is_open());
    CHECK_FALSE(f.model().screen_locked());
    // Its clock goes on: the session is still running in the file.
    auto again = test::open_practice(f.dir / "practice.attune-db", kPassphrase, "Dr Lock");
    CHECK(test::stored_session(*again, s.id).state == SessionState::Running);
}

TEST_CASE("auto-lock is armed while a new practice's recovery key is shown", "[ui][autolock]") {
    test::TempDir dir;
    test::Headless ui;
    double now = 500;
    ui.shell().set_clock_for_tests([&] { return now; });
    services::Settings settings;
    settings.auto_lock_minutes = 1;
    ui.shell().settings().set_current(settings);
    ui::AppModel& model = ui.shell().model();
    model.set_key_limits_for_tests(test::kTestKdf, test::kTestKdf);
    model.database_path = (dir / "new.attune-db").string();
    ui.run_frames(2);
    auto type_into = [&](const char* id, const char* text) {
        const auto at = ui.find_item("/##view_", {id});
        REQUIRE(at.has_value());
        ui.click(*at);
        ui.type_text(text);
    };
    type_into("##admin_name", "Dr New");
    type_into("##new1", "a new practice passphrase");
    type_into("##new2", "a new practice passphrase");
    ui.press_key(ui::keys::kEnter);
    ui.run_frames(2);
    REQUIRE(model.holds_new_practice());
    REQUIRE(test::text_on_screen(ui, "The practice's recovery key"));
    CHECK(ui.shell().auto_lock_in() == 60);

    now += 61;
    ui.run_frames(1);
    CHECK_FALSE(model.holds_new_practice());  // closed, its key wiped
    CHECK_FALSE(ui.find_text("The practice's recovery key").has_value());
    CHECK(test::text_on_screen(ui, "Your passphrase"));
}

TEST_CASE("locking drops messages naming cases, the current case and the views' caches", "[ui][autolock]") {
    AutoLockFixture f(2);
    f.model().open_case(f.couple.id);
    f.ui.run_frames(2);
    f.model().error("Couple Willow: the export could not be written");
    f.ui.run_frames(1);
    REQUIRE(test::text_on_screen(f.ui, "Couple Willow: the export"));
    const ui::AuditView* audit_before = &f.ui.shell().audit();
    const ui::PeopleDialog* people_before = &f.ui.shell().people();

    f.idle_then_frame(121);
    REQUIRE_FALSE(f.model().is_open());
    CHECK_FALSE(f.ui.find_text("Couple Willow").has_value());
    REQUIRE(f.model().message().has_value());
    CHECK(f.model().message()->text == "Locked after 2 minutes without input.");
    CHECK(f.model().current_case() == 0);
    CHECK(f.model().cases().empty());
    // The views and dialogs that drew from the practice were made anew: their caches are gone.
    CHECK(&f.ui.shell().audit() != audit_before);
    CHECK(&f.ui.shell().people() != people_before);
}

TEST_CASE("Practice > Lock also drops what names cases before the next frame", "[ui][autolock]") {
    AutoLockFixture f(0);
    f.model().error("Couple Willow: something went wrong");
    f.model().close_practice();  // what Practice > Lock does
    CHECK_FALSE(f.model().message().has_value());
    f.ui.run_frames(1);
    CHECK_FALSE(f.ui.find_text("Couple Willow").has_value());
}
