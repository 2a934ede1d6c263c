// The progress note's "History" in the live session view (issue 17 item 7):
// every saved version listed with its time and author, the newest shown
// first, an older one selectable to read. Loaded when the dialog opens.
#include <catch2/catch_test_macros.hpp>

#include "headless.h"
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
    CHECK(test::text_on_screen(ui, "1. " + saved[0].saved_at + "  Dr Test"));
    CHECK(test::text_on_screen(ui, "2. " + saved[1].saved_at + "  Dr Test (current)"));
    CHECK(test::text_on_screen(ui, "version 2, " + saved[1].saved_at + ", Dr Test"));
    CHECK_FALSE(ui.find_text("first plan").has_value());  // the note's own fields show the second version

    const auto first = ui.find_item("##versions", {0, "###version"});
    REQUIRE(first.has_value());
    ui.click(*first);
    ui.run_frames(2);
    CHECK(test::text_on_screen(ui, "first plan"));
    CHECK(test::text_on_screen(ui, "version 1, " + saved[0].saved_at + ", Dr Test"));

    const auto close = ui.find_item("Note history", {"Close"});
    REQUIRE(close.has_value());
    ui.click(*close);
    ui.run_frames(3);
    CHECK_FALSE(ui.popup_open("Note history"));
}
