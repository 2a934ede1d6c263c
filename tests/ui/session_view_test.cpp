// The live session view driven like a therapist drives it: keys first.
#include "headless.h"

#include "core/session_clock.h"
#include "services/open_practice.h"
#include "store/audit_log.h"
#include "store/backup.h"
#include "store/repositories.h"
#include "support/practice_fixture.h"
#include "support/test_support.h"
#include "ui/keys.h"

#include <catch2/catch_test_macros.hpp>

using namespace attune;
namespace keys = attune::ui::keys;

namespace {

// A practice with one couple and a session, the shell showing that session.
struct LiveFixture {
    test::TempDir dir;
    test::Headless ui;
    RowId case_id = 0;
    RowId session_id = 0;

    // `started_ago`: wall seconds since the session was started (a crash test uses an hour).
    explicit LiveFixture(double started_ago = 0.0, bool with_observation = false) {
        io::Practice practice = test::new_practice(dir / "practice.db", "correct horse", "Dr Test");
        const Case c = test::add_couple(*practice.db, "Couple K");
        const Session s = store::SessionRepository(*practice.db)
                              .start(c.id, "2026-11-22", "10:00", wall_clock_seconds() - started_ago);
        if (with_observation) {
            Observation o;
            o.session_id = s.id;
            o.rater_id = practice.db->actor().id;
            o.t = 100.0;
            o.who = Who::A;
            o.code_id = "blame_shift";
            store::ObservationRepository(*practice.db).add(o);
        }
        case_id = c.id;
        session_id = s.id;
        ui.shell().model().set_practice(std::move(practice));
        ui.shell().model().open_session(case_id, session_id);
        ui.run_frames(3);
    }

    store::Database& db() { return ui.shell().model().db(); }
    std::vector<Observation> all_observations() {
        return store::ObservationRepository(db()).list_for_session(session_id, 0, true);
    }
    std::vector<Observation> live_observations() {
        return store::ObservationRepository(db()).list_for_session(session_id);
    }
    Session session() { return *store::SessionRepository(db()).get(session_id); }
    void key(char c) { ui.press_key(c >= 'a' && c <= 'z' ? keys::letter(c) : c); }
};

// The user ends the session with the mouse: "End session...", then the confirm button.
void end_session_by_clicks(LiveFixture& f) {
    const auto end_button = f.ui.find_item("/##view_", {"End session..."});
    REQUIRE(end_button.has_value());
    f.ui.click(*end_button);
    f.ui.run_frames(3);
    const auto confirm = f.ui.find_item("End session", {"Confirm: end session"});
    REQUIRE(confirm.has_value());
    f.ui.click(*confirm);
}

}  // namespace

TEST_CASE("hotkeys log codes for the sticky partner, a state pairs up and Ctrl+Z soft-deletes the last press") {
    LiveFixture f;
    f.key('1');
    f.key('d');  // A: defensive anger
    f.key('2');
    f.key('w');  // B: withdraws from emotion
    f.key('s');  // B: shut down starts (2 is still active)
    f.ui.run_frames(5);
    f.key('s');  // ... and stops
    f.key('4');
    f.key('r');  // therapist: t_reflect, not the partners' "reflect"
    f.ui.press_key(keys::letter('z'), true);

    const auto all = f.all_observations();
    REQUIRE(all.size() == 4);
    REQUIRE(all[0].who == Who::A);
    REQUIRE(all[0].code_id == "defensive_anger");
    REQUIRE(all[1].who == Who::B);
    REQUIRE(all[1].code_id == "withdraw_emotion");
    REQUIRE(all[2].who == Who::B);
    REQUIRE(all[2].code_id == "shut_down");
    REQUIRE(all[2].kind == EventKind::State);
    REQUIRE(all[2].stop.has_value());
    REQUIRE(*all[2].stop >= all[2].t);
    REQUIRE(all[3].who == Who::Therapist);
    REQUIRE(all[3].code_id == "t_reflect");
    REQUIRE(all[3].deleted);
    for (size_t i = 1; i < all.size(); ++i) REQUIRE(all[i - 1].t <= all[i].t);
    REQUIRE(f.live_observations().size() == 3);
}

TEST_CASE("a click on a code button logs it for the active partner") {
    LiveFixture f;
    f.key('2');
    const auto button = f.ui.find_item("/##live_", {"withdrawal", "A  Avoids conflict / placates##avoid_conflict"});
    REQUIRE(button.has_value());
    f.ui.click(*button);
    const auto observations = f.live_observations();
    REQUIRE(observations.size() == 1);
    REQUIRE(observations[0].who == Who::B);
    REQUIRE(observations[0].code_id == "avoid_conflict");
}

TEST_CASE("keys typed into the quote field type text and log no code") {
    LiveFixture f;
    f.key('1');
    f.key('d');
    f.ui.press_key(keys::kApostrophe);  // jump to the quote field
    f.ui.run_frames(2);
    f.key('w');
    f.key('s');
    f.key('2');
    f.ui.press_key(keys::kEnter);  // saves the quote and leaves the field
    f.ui.press_key(keys::digit(3), false, false, true);  // Alt+3 does not re-open it: intensity only after a press
    auto observations = f.live_observations();
    REQUIRE(observations.size() == 1);
    REQUIRE(observations[0].comment == "ws2");

    // Back out of the field, letters log again, and Alt+2 sets the intensity of the last press.
    f.key('d');
    f.ui.press_key(keys::digit(2), false, false, true);
    observations = f.live_observations();
    REQUIRE(observations.size() == 2);
    REQUIRE(observations[1].intensity == 2);
    REQUIRE(observations[1].who == Who::A);  // "2" typed into the field did not switch the partner
}

TEST_CASE("F5 pauses and resumes the session clock in the database") {
    LiveFixture f;
    REQUIRE(f.session().state == SessionState::Running);
    f.ui.press_key(keys::kF5);
    REQUIRE(f.session().state == SessionState::Paused);
    f.ui.press_key(keys::kSpace, true);  // Ctrl+Space does the same
    REQUIRE(f.session().state == SessionState::Running);
    f.ui.press_key(keys::kSpace);  // a bare Space never does
    REQUIRE(f.session().state == SessionState::Running);
}

TEST_CASE("ending the session through the modal closes the running states and returns to the case") {
    LiveFixture f;
    f.key('2');
    f.key('s');  // B shuts down, still running
    REQUIRE(store::ObservationRepository(f.db()).open_states(f.session_id).size() == 1);
    end_session_by_clicks(f);
    REQUIRE(f.session().state == SessionState::Ended);
    REQUIRE(store::ObservationRepository(f.db()).open_states(f.session_id).empty());
    const auto observations = f.live_observations();
    REQUIRE(observations.size() == 1);
    REQUIRE(observations[0].stop.has_value());
    REQUIRE(f.ui.shell().model().screen() == ui::Screen::CaseTrends);
}

TEST_CASE("a session left running by a crash reopens paused at the last saved moment") {
    LiveFixture f(3600.0, true);  // started an hour ago, last observation at 100 s
    const Session s = f.session();
    REQUIRE(s.state == SessionState::Paused);
    REQUIRE(s.active_seconds == 100.0);
    f.key('1');
    f.key('d');  // logging at the paused clock still works, at 100 s, not an hour in
    const auto observations = f.live_observations();
    REQUIRE(observations.size() == 2);
    REQUIRE(observations[1].t == 100.0);
}

TEST_CASE("a code pressed while the clock is paused resumes it and is logged, not dropped") {
    LiveFixture f;
    f.ui.press_key(keys::kF5);
    REQUIRE(f.session().state == SessionState::Paused);
    f.key('1');
    f.key('d');
    REQUIRE(f.session().state == SessionState::Running);
    const auto observations = f.live_observations();
    REQUIRE(observations.size() == 1);
    REQUIRE(observations[0].code_id == "defensive_anger");
    REQUIRE(f.ui.shell().model().message().has_value());
    REQUIRE(f.ui.shell().model().message()->text.find("paused") != std::string::npos);
}

TEST_CASE("the user's hotkeys from Settings replace the scheme's keys in the live view") {
    LiveFixture f;
    f.ui.shell().model().set_hotkeys({{"defensive_anger", "q"}, {"blame_shift", ""}});
    f.ui.run_frames(2);
    f.key('1');
    f.key('d');  // no longer a key
    f.key('b');  // taken away
    f.key('q');  // defensive anger now
    const auto observations = f.live_observations();
    REQUIRE(observations.size() == 1);
    REQUIRE(observations[0].code_id == "defensive_anger");
    REQUIRE(observations[0].who == Who::A);
}

TEST_CASE("ending a session makes the automatic backup into the user's backup folder") {
    LiveFixture f;
    io::BackupPolicy policy;
    policy.enabled = true;
    policy.folder = f.dir / "backups";
    policy.keep = 14;
    f.ui.shell().model().set_backup_policy(policy);
    end_session_by_clicks(f);
    REQUIRE(f.session().state == SessionState::Ended);
    // The backup runs on its own thread and connection: the window went on meanwhile.
    f.ui.shell().model().wait_for_backup();
    f.ui.run_frames(1);
    REQUIRE(store::list_backups(f.dir / "practice.db", policy.folder).size() == 1);
    const auto audited = store::AuditLog(f.db()).list(store::AuditFilter::of_action("backup", 10));
    REQUIRE(audited.size() == 1);
    const auto written = store::list_backups(f.dir / "practice.db", policy.folder);
    CHECK(audited[0].detail == "to " + written[0].string() + " (in the background)");
    REQUIRE(f.ui.shell().model().message().has_value());
    REQUIRE(f.ui.shell().model().message()->text.find("Backed up to") != std::string::npos);
}

TEST_CASE("a background backup that ends after another practice was opened is not audited in that one") {
    LiveFixture f;
    io::BackupPolicy policy;
    policy.enabled = true;
    policy.folder = f.dir / "backups";
    f.ui.shell().model().set_backup_policy(policy);
    end_session_by_clicks(f);
    REQUIRE(f.ui.shell().model().backup_running());  // its own connection's key derivation takes a while
    // The user opens another practice while the first one's backup still runs.
    f.ui.shell().model().set_practice(test::new_practice(f.dir / "other.db"));
    f.ui.shell().model().wait_for_backup();
    f.ui.run_frames(1);
    CHECK(store::list_backups(f.dir / "practice.db", policy.folder).size() == 1);
    CHECK(store::AuditLog(f.ui.shell().model().db()).list(store::AuditFilter::of_action("backup", 10)).empty());
}
