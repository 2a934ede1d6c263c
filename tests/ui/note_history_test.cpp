// The progress note's "History" in the live session view (issue 17 item 7):
// every saved version listed with its time and author, the newest shown
// first, an older one selectable to read. Loaded when the dialog opens.
#include <catch2/catch_test_macros.hpp>

#include "headless.h"
#include "core/clock_text.h"
#include "services/notes.h"
#include "session_data.h"
#include "support/practice_fixture.h"
#include "support/test_support.h"

using namespace attune;

TEST_CASE("the note's History lists each saved version with its author; selecting one shows its text",
          "[ui][notes][history]") {
    test::TempDir dir;
    test::Headless ui(ImVec2(1600.0f, 1200.0f));
    auto practice = test::new_practice(dir / "practice.db", "correct horse", "Dr Test");
    const Case c = test::add_couple(*practice, "Couple N");
    const Session session = services::start_session(*practice, c.id, "2026-11-22");
    test::save_notes(*practice, session.id, {"first data", "first assessment", "first plan"}, "");
    test::save_notes(*practice, session.id, {"second data", "first assessment", "second plan"}, "");
    const std::vector<NoteVersion> saved = services::note_history(*practice, session);
    REQUIRE(saved.size() == 2);
    ui.shell().model().set_practice(std::move(practice));
    ui.shell().model().open_session(c.id, session.id);
    ui.run_frames(3);

    CHECK_FALSE(ui.popup_open("Note history"));
    const auto history = ui.find_item("/##progress_", {"History"});
    REQUIRE(history.has_value());
    ui.click(*history);
    ui.run_frames(3);
    REQUIRE(ui.popup_open("Note history"));
    // Both versions listed, oldest first, with time and author; the newest is shown.
    // Local times, as everywhere in the window.
    CHECK(test::text_on_screen(ui, "1. " + local_time_text(saved[0].saved_at, true) + ", Dr Test"));
    CHECK(test::text_on_screen(ui, "2. " + local_time_text(saved[1].saved_at, true) + ", Dr Test (current)"));
    CHECK(test::text_on_screen(ui, "version 2, " + local_time_text(saved[1].saved_at, true) + ","));
    CHECK_FALSE(ui.find_text("first plan").has_value());  // the note's own fields show the second version

    const auto first = ui.find_item("##versions", {0, "###version"});
    REQUIRE(first.has_value());
    ui.click(*first);
    ui.run_frames(2);
    CHECK(test::text_on_screen(ui, "first plan"));
    CHECK(test::text_on_screen(ui, "version 1, " + local_time_text(saved[0].saved_at, true) + ","));

    const auto close = ui.find_item("Note history", {"Close"});
    REQUIRE(close.has_value());
    ui.click(*close);
    ui.run_frames(3);
    CHECK_FALSE(ui.popup_open("Note history"));
}

TEST_CASE("the review has the note's History too, listing the versions saved before the session ended",
          "[ui][notes][history]") {
    test::TempDir dir;
    test::Headless ui(ImVec2(1600.0f, 1400.0f));  // tall: the notes column on screen
    auto practice = test::new_practice(dir / "practice.db", "correct horse", "Dr Test");
    const Case c = test::add_couple(*practice, "Couple H");
    Session session = services::start_session(*practice, c.id, "2026-11-22");
    test::save_notes(*practice, session.id, {"draft data", "", "draft plan"}, "");
    test::save_notes(*practice, session.id, {"final data", "", "final plan"}, "");
    session = test::end_session(*practice, session, 3000);
    const std::vector<NoteVersion> saved = services::note_history(*practice, session);
    REQUIRE(saved.size() == 2);
    ui.shell().model().set_practice(std::move(practice));
    ui.shell().model().open_review(c.id, session.id);
    ui.run_frames(3);

    const auto history = ui.find_item("/notes_", {"History"});
    REQUIRE(history.has_value());
    ui.click(*history);
    ui.run_frames(3);
    REQUIRE(ui.popup_open("Note history"));
    CHECK(test::text_on_screen(ui, "2. " + local_time_text(saved[1].saved_at, true) + ", Dr Test (current)"));
    CHECK(test::text_on_screen(ui, "version 2, " + local_time_text(saved[1].saved_at, true) + ","));
    const auto first = ui.find_item("##versions", {0, "###version"});
    REQUIRE(first.has_value());
    ui.click(*first);
    ui.run_frames(2);
    CHECK(test::text_on_screen(ui, "draft plan"));  // what the note said before it was finished
}
