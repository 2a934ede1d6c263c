// Live logging's durability and its undo/redo (issue 18): the running clock is
// saved often enough that a crash loses seconds, not minutes; a redone press
// is the same observation, at its own time.
#include "services/live_session.h"

#include <catch2/catch_test_macros.hpp>

#include "core/session_clock.h"
#include "services/cases.h"
#include "support/practice_fixture.h"
#include "support/test_support.h"

using namespace attune;

namespace {

struct LiveFixture {
    test::TempDir dir;
    std::unique_ptr<services::OpenPractice> practice = test::new_practice(dir / "live.db");
    Case couple = test::add_couple(*practice, "Couple L", "Leila", "Omar");
    Session session = services::start_session(*practice, couple.id, "2026-11-22");
    // The clock started at or just before this wall time.
    double started = wall_clock_seconds();

    Session stored() { return services::get_session(*practice, session.id).value(); }
};

}  // namespace

TEST_CASE("a running clock is saved every few seconds, so a crash loses at most that much session time",
          "[live][clock]") {
    LiveFixture f;
    double at_crash = 0;  // the session clock when Attune stopped
    {
        services::LiveSession live(*f.practice);
        REQUIRE(live.sync(f.session.id, f.started));
        REQUIRE(live.running());
        const std::uint64_t version = f.practice->data_version();
        // Frames once a second, as the running clock asks for, for 23.3 s.
        for (int second = 1; second <= 23; ++second)
            live.tick(f.started + second + 0.3);
        at_crash = live.clock_now(f.started + 23.3);
        // A checkpoint is no change to what views show: nothing reloads for it.
        CHECK(f.practice->data_version() == version);
    }  // a crash: no pause, no end

    // Attune starts again a minute later: the session is found running, not started by this run.
    services::LiveSession again(*f.practice);
    REQUIRE(again.sync(f.session.id, f.started + 83.3));
    CHECK_FALSE(again.recovery_notice().empty());
    const Session recovered = f.stored();
    CHECK(recovered.state == SessionState::Paused);
    CHECK(recovered.active_seconds <= at_crash);
    // Saved every kClockSaveSeconds of session time, checked once a frame (1 s here).
    CHECK(recovered.active_seconds >= at_crash - services::LiveSession::kClockSaveSeconds - 1.0);
    CHECK(again.clock_now(f.started + 90) == recovered.active_seconds);
}

TEST_CASE("the clock save asks for a frame when it is due, also while the session is not on screen", "[live][clock]") {
    LiveFixture f;
    services::LiveSession live(*f.practice);
    REQUIRE(live.sync(f.session.id, f.started));
    const double due = live.next_save_in(f.started + 1.0);
    CHECK(due > 3.0);
    CHECK(due <= services::LiveSession::kClockSaveSeconds);
    live.toggle_pause(f.started + 2.0);
    CHECK(live.next_save_in(f.started + 3.0) < 0);  // paused: nothing to save
}

TEST_CASE("undo then redo brings back the same observation: uuid, time, partner, code, intensity and quote",
          "[live][undo]") {
    LiveFixture f;
    services::LiveSession live(*f.practice);
    REQUIRE(live.sync(f.session.id, f.started));
    const Code& anger = *live.code("defensive_anger");
    const auto logged = live.press(Who::A, anger, f.started + 12.5);
    REQUIRE(logged);
    live.set_extras(logged->id, 2, "you never listen");
    const Observation before = live.observations().at(0);

    const auto undone = live.undo_last();
    REQUIRE(undone);
    CHECK_FALSE(undone->stop_only);
    CHECK(undone->observation.uuid == before.uuid);
    CHECK(live.describe(undone->observation) == "Leila: Defensive anger at 00:12, intensity 2");
    CHECK(live.observations().empty());

    const auto redone = live.redo_last();
    REQUIRE(redone);
    REQUIRE(live.observations().size() == 1);
    const Observation& back = live.observations()[0];
    CHECK(back.id == before.id);
    CHECK(back.uuid == before.uuid);
    CHECK(back.t == before.t);
    CHECK(back.who == Who::A);
    CHECK(back.code_id == "defensive_anger");
    CHECK(back.intensity == 2);
    CHECK(back.comment == "you never listen");
    CHECK_FALSE(live.redo_last());  // nothing more to redo
}

TEST_CASE("a new press forgets what could be redone", "[live][undo]") {
    LiveFixture f;
    services::LiveSession live(*f.practice);
    REQUIRE(live.sync(f.session.id, f.started));
    live.press(Who::A, *live.code("defensive_anger"), f.started + 5);
    REQUIRE(live.undo_last());
    live.press(Who::B, *live.code("withdraw_emotion"), f.started + 8);
    CHECK_FALSE(live.redo_last());
    REQUIRE(live.observations().size() == 1);
    CHECK(live.observations()[0].code_id == "withdraw_emotion");
}

TEST_CASE("undoing a state's stop runs it again; redo stops it at its old stop time", "[live][undo]") {
    LiveFixture f;
    services::LiveSession live(*f.practice);
    REQUIRE(live.sync(f.session.id, f.started));
    const Code& shut_down = *live.code("shut_down");
    live.press(Who::B, shut_down, f.started + 10);
    live.press(Who::B, shut_down, f.started + 25);  // stops it
    REQUIRE(live.observations().size() == 1);
    const double stop = live.observations()[0].stop.value();

    const auto undone = live.undo_last();
    REQUIRE(undone);
    CHECK(undone->stop_only);
    CHECK(live.running_states().size() == 1);

    const auto redone = live.redo_last();
    REQUIRE(redone);
    CHECK(redone->stop_only);
    CHECK(live.running_states().empty());
    CHECK(live.observations()[0].stop == stop);
}
