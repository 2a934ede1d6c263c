// BORIS in the window: Practice > "Import from BORIS..." plans first and
// shows the preview (what will be imported, what left out and why), imports
// exactly that plan when confirmed, and drops the preview when an option
// changes; Practice > "Export to BORIS..." opens the case's Export dialog on
// the BORIS project. Driven through the real shell: menu keys, clicks, typing.
#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include "headless.h"
#include "services/cases.h"
#include "support/practice_fixture.h"
#include "support/test_support.h"
#include "ui/export_dialog.h"
#include "ui/keys.h"

using namespace attune;
using Catch::Matchers::ContainsSubstring;
using Catch::Matchers::StartsWith;
namespace keys = attune::ui::keys;

namespace {

constexpr const char* kDialog = "Import from BORIS";

struct BorisFixture {
    test::TempDir dir;
    test::Headless ui;

    BorisFixture() {
        model().set_practice(test::new_practice(dir / "practice.db", "boris dialog test", "Dr Lee"));
        ui.settle(30);
    }
    ui::AppModel& model() { return ui.shell().model(); }
    ui::BorisImportDialog& dialog() { return ui.shell().boris_import(); }

    void press(int key) {
        ui.press_key(key);
        ui.run_frames(1);
    }
    // Alt to the menu bar, Space opens Practice, Down `item` times, Space chooses.
    void practice_menu(int item) {
        ui.press_key(keys::kLeftAlt, false, false, true);
        ui.run_frames(1);
        press(keys::kSpace);
        for (int i = 0; i < item; ++i)
            press(keys::kDown);
        press(keys::kSpace);
        ui.run_frames(2);
    }
    void click(const std::string& id) {
        const auto at = ui.find_item(kDialog, {id});
        INFO("clicking " << id);
        REQUIRE(at.has_value());
        ui.click(*at);
        ui.run_frames(2);
    }
    void type_into(const std::string& field, const std::string& text) {
        click(field);
        ui.press_key(keys::letter('a'), true);
        ui.type_text(text.c_str());
        ui.run_frames(1);
    }
    std::vector<Session> sessions_of(const std::string& label) {
        for (const CaseSummary& c : services::list_cases(model().practice()))
            if (c.info.label == label) return services::list_sessions(model().practice(), c.info.id);
        return {};
    }
};

}  // namespace

TEST_CASE("Import from BORIS previews the plan, imports exactly it on confirmation, and lists what was left out",
          "[ui][boris]") {
    BorisFixture f;
    f.practice_menu(5);  // Caseload, Lock, Settings..., Audit trail..., People..., Import from BORIS...
    REQUIRE(f.ui.popup_open(kDialog));
    // The file field has the keyboard when the dialog appears.
    f.ui.type_text((test::shared_dir() / "interop" / "boris" / "test.boris").string().c_str());
    f.ui.run_frames(1);
    f.type_into("Case##boris_case", "Samples");
    f.type_into("Partner A##boris_a", "subject1");
    f.type_into("Partner B##boris_b", "subject2");
    f.type_into("Map behaviours (BORIS=ATTUNE, ...)##boris_map",
                "p=validate, q=reflect, s=shut_down, r=shut_down, m=shut_down");

    // Import before a preview does nothing: the button is disabled.
    f.click("Import");
    CHECK(services::list_cases(f.model().practice()).empty());

    f.click("Preview");
    INFO(f.dialog().problem());
    const std::string preview = f.dialog().preview_text();
    CHECK_THAT(preview, StartsWith("Into a new case 'Samples' (A 'subject1', B 'subject2'):\n"));
    CHECK_THAT(preview, ContainsSubstring("Left out:\n  BORIS observation 'live not paired': START of 's'"));
    CHECK(services::list_cases(f.model().practice()).empty());  // a preview writes nothing

    f.click("Import");
    REQUIRE(f.dialog().report().has_value());
    CHECK(f.sessions_of("Samples").size() == 9);
    // What was shown is what was imported: one "Session of" line per session created.
    std::size_t previewed = 0;
    for (std::size_t at = preview.find("Session of "); at != std::string::npos;
         at = preview.find("Session of ", at + 1))
        ++previewed;
    CHECK(previewed == 9);
    CHECK_THAT(f.dialog().report()->summary(), ContainsSubstring("BORIS observation 'observation without events'"));
    // The plan was used up: Import again changes nothing.
    f.click("Import");
    CHECK(f.sessions_of("Samples").size() == 9);
    f.click("Close");
    CHECK_FALSE(f.ui.popup_open(kDialog));
}

TEST_CASE("changing an option after the preview drops it, and the new preview follows the option", "[ui][boris]") {
    BorisFixture f;
    f.dialog().open();
    f.ui.run_frames(2);
    REQUIRE(f.ui.popup_open(kDialog));
    // The file field has the keyboard (and its own copy of the text) when the dialog appears: typed.
    f.ui.type_text((test::shared_dir() / "interop" / "boris" / "test.boris").string().c_str());
    f.ui.run_frames(1);
    f.dialog().form().case_label = "Samples";
    f.dialog().form().partner_a = "subject1";
    f.dialog().form().partner_b = "subject2";
    f.dialog().form().behavior_map = "p=validate,q=reflect,s=shut_down,r=shut_down,m=shut_down";
    f.click("Preview");
    REQUIRE_FALSE(f.dialog().preview_text().empty());
    f.click("Close unpaired states at the last event, as BORIS's Fix unpaired events does##boris_close");
    CHECK(f.dialog().preview_text().empty());
    f.click("Import");  // no preview: nothing happens
    CHECK(services::list_cases(f.model().practice()).empty());
    f.click("Preview");
    CHECK_THAT(f.dialog().preview_text(), ContainsSubstring("had no STOP: closed at 26.863 s"));
    f.click("Import");
    CHECK(f.sessions_of("Samples").size() == 10);
}

TEST_CASE("a file that is not BORIS data is refused in the dialog with the line that says what to do", "[ui][boris]") {
    BorisFixture f;
    f.dialog().open();
    f.ui.run_frames(2);
    test::write_file(f.dir / "events.xlsx", std::string("PK\x03\x04\x14\x00\x06\x00", 8) + "xl/workbook.xml");
    f.ui.type_text((f.dir / "events.xlsx").string().c_str());
    f.ui.run_frames(1);
    f.dialog().form().case_label = "X";
    f.dialog().form().partner_a = "A";
    f.dialog().form().partner_b = "B";
    f.click("Preview");
    CHECK_THAT(f.dialog().problem(), ContainsSubstring("export the observations as TSV or CSV from BORIS"));
    CHECK(f.dialog().preview_text().empty());
}

TEST_CASE("Export to BORIS opens the case's Export dialog on the BORIS project", "[ui][boris]") {
    BorisFixture f;
    const Case c = test::add_couple(f.model().practice(), "Pair");
    services::start_session(f.model().practice(), c.id, "2026-03-10");
    f.model().open_case(c.id);
    f.ui.settle(10);
    CHECK(f.model().shown_export_dialog() == nullptr);
    f.practice_menu(6);  // ..., People..., Import from BORIS..., Export to BORIS...
    f.ui.run_frames(3);
    const ui::ExportDialog* shown = f.model().shown_export_dialog();
    REQUIRE(shown != nullptr);
    CHECK_THAT(shown->preview(), StartsWith("{\"time_format\":\"hh:mm:ss\""));
    CHECK_THAT(shown->preview(), ContainsSubstring("\"Pair S1 Dr Lee\""));
}
