// The live session view driven like a therapist drives it: keys first.
#include <algorithm>
#include <catch2/catch_test_macros.hpp>

#include "headless.h"
#include "services/audit.h"
#include "services/backups.h"
#include "session_data.h"
#include "support/practice_fixture.h"
#include "support/test_support.h"
#include "ui/keys.h"

using namespace attune;
namespace keys = attune::ui::keys;

namespace {

// A practice with one couple and a session just started, the shell showing that session.
struct LiveFixture {
    test::TempDir dir;
    test::Headless ui;
    Session session;

    // `crashed`: an observation at 100 s was saved and then Attune stopped: no
    // running Attune started this session, so the view takes it for a crash.
    explicit LiveFixture(bool crashed = false) {
        auto practice = test::new_practice(dir / "practice.db", "correct horse", "Dr Test");
        const Case c = test::add_couple(*practice, "Couple K");
        session = services::start_session(*practice, c.id, "2026-11-22");
        if (crashed) test::add_observation(*practice, session, Who::A, 100.0, "blame_shift");
        ui.shell().model().set_practice(std::move(practice));
        ui.shell().model().open_session(c.id, session.id);
        ui.run_frames(3);
    }

    services::OpenPractice& practice() { return ui.shell().model().practice(); }
    std::vector<Observation> live_observations() { return test::stored_observations(practice(), session); }
    Session stored() { return test::stored_session(practice(), session.id); }
    std::vector<AuditEntry> audited(const char* action) {
        return services::audit_entries(practice(), AuditFilter::of_action(action, 100, "observation"));
    }
    void key(char c) { ui.press_key(c >= 'a' && c <= 'z' ? keys::letter(c) : c); }
};

// The backups of the fixture's practice in `folder`.
std::size_t backups_in(const std::filesystem::path& folder) {
    if (!std::filesystem::is_directory(folder)) return 0;
    std::size_t count = 0;
    for (const auto& entry : std::filesystem::directory_iterator(folder))
        count += entry.path().extension() == ".attune-backup" ? 1 : 0;
    return count;
}

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

    const auto live = f.live_observations();
    REQUIRE(live.size() == 3);
    CHECK(live[0].who == Who::A);
    CHECK(live[0].code_id == "defensive_anger");
    CHECK(live[1].who == Who::B);
    CHECK(live[1].code_id == "withdraw_emotion");
    CHECK(live[2].who == Who::B);
    CHECK(live[2].code_id == "shut_down");
    CHECK(live[2].kind == EventKind::State);
    REQUIRE(live[2].stop.has_value());
    CHECK(*live[2].stop >= live[2].t);
    for (size_t i = 1; i < live.size(); ++i)
        CHECK(live[i - 1].t <= live[i].t);
    // The therapist's reflect was logged, then soft-deleted (kept, audited), not erased.
    const auto created = f.audited("create");
    REQUIRE(created.size() == 4);
    // Newest first; audit rows name the code by its label (issue 18), not its id.
    CHECK(created[0].detail.rfind("Therapist: Therapist reflects emotion at ", 0) == 0);
    const auto deleted = f.audited("delete");
    REQUIRE(deleted.size() == 1);
    CHECK(deleted[0].entity_id == created[0].entity_id);
    CHECK(deleted[0].detail == "soft delete");
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
    f.ui.press_key(keys::kEnter);                        // saves the quote and leaves the field
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
    REQUIRE(f.stored().state == SessionState::Running);
    f.ui.press_key(keys::kF5);
    REQUIRE(f.stored().state == SessionState::Paused);
    f.ui.press_key(keys::kSpace, true);  // Ctrl+Space does the same
    REQUIRE(f.stored().state == SessionState::Running);
    f.ui.press_key(keys::kSpace);  // a bare Space never does
    REQUIRE(f.stored().state == SessionState::Running);
}

TEST_CASE("ending the session through the modal closes the running states and returns to the case") {
    LiveFixture f;
    f.key('2');
    f.key('s');  // B shuts down, still running
    REQUIRE(f.live_observations().size() == 1);
    REQUIRE_FALSE(f.live_observations()[0].stop.has_value());  // running
    end_session_by_clicks(f);
    REQUIRE(f.stored().state == SessionState::Ended);
    const auto observations = f.live_observations();
    REQUIRE(observations.size() == 1);
    REQUIRE(observations[0].stop.has_value());
    CHECK(*observations[0].stop <= f.stored().active_seconds);
    REQUIRE(f.ui.shell().model().screen() == ui::Screen::CaseTrends);
}

TEST_CASE("a session left running by a crash reopens paused at the last saved moment") {
    LiveFixture f(true);  // last observation at 100 s, the clock (had it run on) near 0 s
    const Session s = f.stored();
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
    REQUIRE(f.stored().state == SessionState::Paused);
    f.key('1');
    f.key('d');
    REQUIRE(f.stored().state == SessionState::Running);
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
    services::BackupPolicy policy;
    policy.enabled = true;
    policy.folder = f.dir / "backups";
    policy.keep = 14;
    f.ui.shell().model().set_backup_policy(policy);
    end_session_by_clicks(f);
    REQUIRE(f.stored().state == SessionState::Ended);
    // The backup runs on its own thread and connection: the window went on meanwhile.
    f.ui.shell().model().wait_for_backup();
    f.ui.run_frames(1);
    REQUIRE(backups_in(policy.folder) == 1);
    const auto audited = services::audit_entries(f.practice(), AuditFilter::of_action("backup", 10));
    REQUIRE(audited.size() == 1);
    std::filesystem::path written;  // the backup; its keyring lies beside it
    for (const auto& entry : std::filesystem::directory_iterator(policy.folder))
        if (entry.path().extension() == ".attune-backup") written = entry.path();
    CHECK(std::filesystem::exists(written.string() + ".keyring"));
    CHECK(audited[0].detail == "to " + written.string() + " (in the background)");
    REQUIRE(f.ui.shell().model().message().has_value());
    REQUIRE(f.ui.shell().model().message()->text.find("Backed up to") != std::string::npos);
}

TEST_CASE("a background backup that ends after another practice was opened is not audited in that one") {
    LiveFixture f;
    services::BackupPolicy policy;
    policy.enabled = true;
    policy.folder = f.dir / "backups";
    f.ui.shell().model().set_backup_policy(policy);
    end_session_by_clicks(f);
    REQUIRE(f.ui.shell().model().backup_running());  // its own connection's key derivation takes a while
    // The user opens another practice while the first one's backup still runs.
    f.ui.shell().model().set_practice(test::new_practice(f.dir / "other.db"));
    f.ui.shell().model().wait_for_backup();
    f.ui.run_frames(1);
    CHECK(backups_in(policy.folder) == 1);
    CHECK(services::audit_entries(f.practice(), AuditFilter::of_action("backup", 10)).empty());
}
