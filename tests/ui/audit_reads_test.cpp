// The window records what a person opens (issue 17 item 6): a case's page,
// a session's review, the audit trail, each once per opening however many
// frames it stays on screen; and a rolled-back practice keeps a warning in view.
#include <catch2/catch_test_macros.hpp>
#include <filesystem>

#include "headless.h"
#include "services/audit.h"
#include "ui/clipboard_audit.h"
#include "ui/keys.h"
#include "session_data.h"
#include "support/practice_fixture.h"
#include "support/test_support.h"

using namespace attune;
namespace fs = std::filesystem;

namespace {

std::vector<AuditEntry> rows_of(services::OpenPractice& practice, const std::string& action) {
    return services::audit_entries(practice, AuditFilter::of_action(action));
}

}  // namespace

TEST_CASE("opening a case and reviewing a session in the window is one row each, not one a frame",
          "[ui][audit][reads]") {
    test::TempDir dir;
    test::ScopedEnv config{"XDG_CONFIG_HOME", (dir / "config").string()};
    test::Headless ui;
    auto practice = test::new_practice(dir / "practice.db", "correct horse", "Dr Read");
    const Case c = test::add_couple(*practice, "Couple Seen");
    const Session s = test::end_session(*practice, services::start_session(*practice, c.id, "2026-11-20"), 1800);
    ui.shell().model().set_practice(std::move(practice));
    ui::AppModel& model = ui.shell().model();
    ui.run_frames(3);
    // Signing in shows the caseload: one row for it, however many frames it stays.
    auto opened = rows_of(model.practice(), "open");
    REQUIRE(opened.size() == 1);
    CHECK(opened[0].entity == "view");
    CHECK(opened[0].entity_id == "caseload");

    model.open_case(c.id);
    ui.run_frames(10);
    opened = rows_of(model.practice(), "open");
    REQUIRE(opened.size() == 2);
    // Newest first.
    CHECK(opened[0].entity == "case");
    CHECK(opened[0].entity_id == c.uuid);
    CHECK(opened[0].actor == "Dr Read");

    // The case page's own "Review" button, as a person clicks it.
    const auto review = ui.find_item("/sessions_", {static_cast<int>(s.id), "Review"});
    REQUIRE(review.has_value());
    ui.click(*review);
    ui.run_frames(10);
    REQUIRE(model.screen() == ui::Screen::Review);
    const auto reviewed = rows_of(model.practice(), "review");
    REQUIRE(reviewed.size() == 1);
    CHECK(reviewed[0].entity == "session");
    CHECK(reviewed[0].entity_id == s.uuid);
    CHECK(reviewed[0].detail == "case=Couple Seen session=1");
    CHECK(rows_of(model.practice(), "open").size() == 2);

    // Back to the caseload: it is read again, so it is recorded again.
    model.show_caseload();
    ui.run_frames(5);
    opened = rows_of(model.practice(), "open");
    REQUIRE(opened.size() == 3);
    CHECK(opened[0].entity_id == "caseload");
}

TEST_CASE("text copied out of a field of the review is recorded, with its length and not its words",
          "[ui][audit][clipboard]") {
    test::TempDir dir;
    test::ScopedEnv config{"XDG_CONFIG_HOME", (dir / "config").string()};
    test::Headless ui(ImVec2(1400.0f, 1600.0f));  // tall: the review's side panel on screen
    auto practice = test::new_practice(dir / "practice.db", "correct horse", "Dr Read");
    const Case c = test::add_couple(*practice, "Couple Copy");
    const Session s = test::end_session(*practice, services::start_session(*practice, c.id, "2026-11-20"), 1800);
    ui.shell().model().set_practice(std::move(practice));
    ui::AppModel& model = ui.shell().model();
    model.open_review(c.id, s.id);
    ui.run_frames(3);
    ui::set_clipboard_recorded_elsewhere("before");  // not a copy out of a field
    REQUIRE(rows_of(model.practice(), "copy").empty());

    const auto field = ui.find_item("/notes_", {"review_supervision", "##new_comment"});
    REQUIRE(field.has_value());
    ui.click(*field);
    ui.type_text("Ana softens: café");  // 17 characters, 18 bytes
    ui.run_frames(1);
    ui.press_key(ui::keys::letter('a'), /*ctrl=*/true);
    ui.press_key(ui::keys::letter('c'), /*ctrl=*/true);
    ui.run_frames(2);
    CHECK(std::string(ImGui::GetClipboardText()) == "Ana softens: café");
    const auto copies = rows_of(model.practice(), "copy");
    REQUIRE(copies.size() == 1);
    CHECK(copies[0].entity == "session");
    CHECK(copies[0].entity_id == s.uuid);
    CHECK(copies[0].actor == "Dr Read");
    CHECK(copies[0].detail == "clipboard characters=17 screen=review session=1");
}

TEST_CASE("a copy that cannot be recorded does not reach the clipboard; an export's copy is recorded once",
          "[ui][audit][clipboard]") {
    test::Headless ui;
    ui.run_frames(1);  // the shell wraps ImGui's clipboard
    ImGui::SetClipboardText("kept");
    std::vector<std::size_t> recorded;
    bool allow = false;
    ui::audit_clipboard([&](std::size_t characters) {
        recorded.push_back(characters);
        return allow;
    });
    ImGui::SetClipboardText("private words");
    CHECK(std::string(ImGui::GetClipboardText()) == "kept");
    allow = true;
    ImGui::SetClipboardText("shared");
    CHECK(std::string(ImGui::GetClipboardText()) == "shared");
    CHECK(recorded == std::vector<std::size_t>{13, 6});
    // The export's own copy goes around the recorder (the export writes its own row).
    ui::set_clipboard_recorded_elsewhere("exported note");
    CHECK(std::string(ImGui::GetClipboardText()) == "exported note");
    CHECK(recorded.size() == 2);
}

TEST_CASE("a practice replaced by an older copy keeps a warning bar in the window", "[ui][audit][checkpoint]") {
    test::TempDir dir;
    test::ScopedEnv config{"XDG_CONFIG_HOME", (dir / "config").string()};
    const fs::path path = dir / "practice.db";
    test::new_practice(path, "correct horse", "Dr Read").reset();
    fs::copy_file(path, dir / "old.db");
    {
        auto practice = test::open_practice(path, "correct horse", "Dr Read");
        test::add_couple(*practice, "Couple Later");
    }
    fs::copy_file(dir / "old.db", path, fs::copy_options::overwrite_existing);
    std::error_code ec;
    fs::remove(path.string() + "-wal", ec);
    fs::remove(path.string() + "-shm", ec);

    test::Headless ui;
    ui.shell().model().set_practice(test::open_practice(path, "correct horse", "Dr Read"));
    ui.run_frames(3);
    CHECK(test::text_on_screen(ui, "Audit trail warning:"));
    // The message line can be dismissed; the bar cannot.
    ui.shell().model().clear_message();
    ui.run_frames(3);
    CHECK(test::text_on_screen(ui, "Audit trail warning:"));
}
