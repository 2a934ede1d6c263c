// The review view's "Copy session note" puts the plain-text note on the
// clipboard, never with the private process note, and audits it as an export.
#include "headless.h"

#include "services/open_practice.h"
#include "store/audit_log.h"
#include "store/repositories.h"
#include "support/practice_fixture.h"
#include "support/test_support.h"

#include <catch2/catch_test_macros.hpp>

using namespace attune;

TEST_CASE("copy session note puts the plain note on the clipboard without the private note, audited") {
    test::TempDir dir;
    test::Headless ui;
    io::Practice practice = test::new_practice(dir / "practice.db", "correct horse", "Dr Copy");
    store::Database& db = *practice.db;
    const Case c = test::add_couple(db, "Couple Clip", "Zoë", "Ben");
    const Session s = store::SessionRepository(db).start(c.id, "2026-11-20", "10:00", 1000.0);
    store::SessionRepository(db).save_progress_note(s.id, {"DATA-MARKER talked about the holidays", "", ""});
    store::SessionRepository(db).save_process_note(s.id, "PRIVATE-MARKER countertransference");
    store::SessionRepository(db).end(s.id, 1800);
    ui.shell().model().set_practice(std::move(practice));
    ui.shell().model().open_review(c.id, s.id);
    ui.run_frames(3);

    ImGui::SetClipboardText("");
    const auto button = ui.find_item("/##view_", {"Copy session note"});
    REQUIRE(button.has_value());
    ui.click(*button);
    ui.run_frames(2);

    const std::string copied = ImGui::GetClipboardText();
    REQUIRE(copied.find("DATA-MARKER") != std::string::npos);
    REQUIRE(copied.find("Zoë") != std::string::npos);
    REQUIRE(copied.find("PRIVATE-MARKER") == std::string::npos);
    const auto exports = store::AuditLog(ui.shell().model().db()).list(store::AuditFilter::of_action("export", 10, "session"));
    REQUIRE(exports.size() == 1);
    REQUIRE(exports[0].detail.find("out=clipboard") != std::string::npos);
}
