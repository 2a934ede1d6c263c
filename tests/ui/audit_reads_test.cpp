// The window records what a person opens (issue 17 item 6): a case's page,
// a session's review, the audit trail, each once per opening however many
// frames it stays on screen; and a rolled-back practice keeps a warning in view.
#include <catch2/catch_test_macros.hpp>
#include <filesystem>

#include "headless.h"
#include "services/audit.h"
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
    REQUIRE(rows_of(model.practice(), "open").empty());

    model.open_case(c.id);
    ui.run_frames(10);
    auto opened = rows_of(model.practice(), "open");
    REQUIRE(opened.size() == 1);
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
    CHECK(rows_of(model.practice(), "open").size() == 1);
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
