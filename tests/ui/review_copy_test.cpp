// The review view's "Copy session note" puts the plain-text note on the
// clipboard, never with the private process note, and audits it as an export
// (services::ExportJob, the code path of the Export dialog and `attune export`).
#include <catch2/catch_test_macros.hpp>

#include "headless.h"
#include "services/audit.h"
#include "session_data.h"
#include "support/practice_fixture.h"
#include "support/test_support.h"

using namespace attune;

TEST_CASE("copy session note puts the plain note on the clipboard without the private note, audited once") {
    test::TempDir dir;
    test::Headless ui;
    auto practice = test::new_practice(dir / "practice.db", "correct horse", "Dr Copy");
    const Case c = test::add_couple(*practice, "Couple Clip", "Zoë", "Ben");
    // Session 2 is the one copied: its number is in the audit row.
    test::end_session(*practice, services::start_session(*practice, c.id, "2026-11-13"), 1800);
    const Session s = test::end_session(*practice, services::start_session(*practice, c.id, "2026-11-20"), 1800);
    test::save_notes(*practice, s.id, {"DATA-MARKER talked about the holidays", "", ""},
                     "PRIVATE-MARKER countertransference");
    REQUIRE(test::session_note_text(*practice, s, true).find("PRIVATE-MARKER") != std::string::npos);
    ui.shell().model().set_practice(std::move(practice));
    ui::AppModel& model = ui.shell().model();
    model.open_review(c.id, s.id);
    ui.run_frames(3);

    ImGui::SetClipboardText("");
    const auto button = ui.find_item("/##view_", {"Copy session note"});
    REQUIRE(button.has_value());
    REQUIRE(services::audit_entries(model.practice(), AuditFilter::of_action("export")).empty());
    ui.click(*button);
    ui.run_frames(2);

    const std::string copied = ImGui::GetClipboardText();
    CHECK(copied == test::session_note_text(model.practice(), s));
    CHECK(copied.find("DATA-MARKER") != std::string::npos);
    CHECK(copied.find("Zoë") != std::string::npos);
    CHECK(copied.find("PRIVATE-MARKER") == std::string::npos);
    const auto exports = services::audit_entries(model.practice(), AuditFilter::of_action("export"));
    REQUIRE(exports.size() == 1);
    CHECK(exports[0].entity == "session");
    CHECK(exports[0].entity_id == s.uuid);
    CHECK(exports[0].detail == "format=txt session=2 style=dap include_private=no out=clipboard");
}
