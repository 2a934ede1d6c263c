// The Export dialog driven headless through the real views: opened from the
// session review and the case trends view, its preview is the command line's
// text, private process notes appear only when the box is ticked, a save
// writes the command line's bytes, and every copy and save is audited once,
// after it happened, with its destination; a save that failed leaves no row.
#include "ui/export_dialog.h"

#include <sys/wait.h>

#include <catch2/catch_test_macros.hpp>
#include <cstdlib>

#include "headless.h"
#include "services/audit.h"
#include "session_data.h"
#include "support/cli_practice.h"
#include "support/practice_fixture.h"
#include "support/test_support.h"
#include "ui/keys.h"

using namespace attune;

namespace {

// The real binary opens only key slots with the limits everyone gets: the
// practice is a copy of the command-line tests' template (cli_practice.h).
constexpr const char* kPassphrase = test::kCliPassphrase;
constexpr const char* kDialog = "export_dialog";  // the dialog window's id

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

// Runs the real `attune` with the test's database; the exit code. What it
// printed goes to `log`.
int run_attune(const std::string& arguments, const std::filesystem::path& log) {
    setenv("ATTUNE_PASSPHRASE", kPassphrase, 1);
    setenv("ATTUNE_USER", test::kCliUser, 1);
    const std::string command =
        "'" + test::attune_binary().string() + "' " + arguments + " >'" + log.string() + "' 2>&1";
    const int status = std::system(command.c_str());
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::vector<AuditEntry> exports(ui::AppModel& model, const std::string& entity) {
    return services::audit_entries(model.practice(), AuditFilter::of_action("export", 1000, entity));
}

struct DialogFixture {
    test::TempDir dir;
    test::Headless ui;
    Case info;
    Session session;

    std::unique_ptr<services::OpenPractice> open() {
        test::make_cli_practice(dir / "practice.db");
        return test::open_practice(dir / "practice.db", kPassphrase, test::kCliUser);
    }
    ui::AppModel& model() { return ui.shell().model(); }
    std::string db_option() const { return "--db '" + (dir / "practice.db").string() + "' "; }

    void click(const std::string& window, const std::string& id) {
        const auto at = ui.find_item(window, {id});
        REQUIRE(at.has_value());
        ui.click(*at);
        ui.run_frames(2);
    }
    const ui::ExportDialog& dialog() {
        const ui::ExportDialog* shown = model().shown_export_dialog();
        REQUIRE(shown != nullptr);
        return *shown;
    }
    // Clicks into the path field, replaces its text and presses Enter.
    void save_to(const std::filesystem::path& path) {
        click(kDialog, "##path");
        ui.press_key(ui::keys::letter('a'), true);
        ui.type_text(path.string().c_str());
        ui.press_key(ui::keys::kEnter);
        ui.run_frames(2);
    }
};

}  // namespace

TEST_CASE("the export dialog previews a session note in the clinician's words, private notes only when ticked",
          "[ui][export]") {
    DialogFixture f;
    {
        auto practice = f.open();
        f.info = test::add_couple(*practice, "C-9", "Zoë", "Дмитрий");
        f.session = services::start_session(*practice, f.info.id, "2026-03-02");
        test::add_observation(*practice, f.session, Who::A, 10, "defensive_anger");
        test::add_observation(*practice, f.session, Who::B, 40, "validate");  // repairs A's rupture 30 s later
        f.session = test::end_session(*practice, f.session, 600);
        test::save_notes(*practice, f.session.id, {"DATA-MARKER spoke about the move", "", ""},
                         "PRIVATE-MARKER my own reaction");
        f.model().set_practice(std::move(practice));
    }
    f.model().open_review(f.info.id, f.session.id);
    f.ui.run_frames(3);
    REQUIRE(f.model().shown_export_dialog() == nullptr);

    f.click("/##view_", "Export...");
    std::string preview = f.dialog().preview();
    CHECK(contains(preview, "Session note: C-9, session 1, 2026-03-02"));
    CHECK(contains(preview, "DATA-MARKER spoke about the move"));
    CHECK(contains(preview, "Partner A (Zoë): 1 rupture (defensive anger 1), repaired after 30 s"));
    CHECK_FALSE(contains(preview, "PRIVATE-MARKER"));

    f.click(kDialog, "Include private process notes");
    CHECK(contains(f.dialog().preview(), "PRIVATE-MARKER my own reaction"));
    f.click(kDialog, "Include private process notes");
    CHECK_FALSE(contains(f.dialog().preview(), "PRIVATE-MARKER"));

    // SOAP is the same data under other headings, re-formatted without leaving the dialog.
    f.click(kDialog, "SOAP");
    CHECK(contains(f.dialog().preview(), "DATA-MARKER spoke about the move"));
    CHECK(f.dialog().preview() != preview);
    f.click(kDialog, "DAP (Data, Assessment, Plan)");
    CHECK(f.dialog().preview() == preview);

    // Escape closes the dialog; nothing was exported, so nothing is audited.
    f.ui.press_key(ui::keys::kEscape);
    f.ui.run_frames(2);
    CHECK(f.model().shown_export_dialog() == nullptr);
    CHECK(exports(f.model(), "session").empty());
}

TEST_CASE("the export dialog copies and saves a demo session's note as the command line writes it, audited",
          "[ui][export]") {
    DialogFixture f;
    std::string private_note;
    {
        auto practice = f.open();
        test::add_demo(*practice, 1, 8, 25, "2026-03-30");  // sessions 2 and 3 have a private process note
        f.info = services::list_cases(*practice).at(0).info;
        // The first ended session with a private process note.
        for (const Session& s : services::list_sessions(*practice, f.info.id)) {
            if (s.state != SessionState::Ended) continue;
            f.session = s;
            private_note = test::stored_process_note(*practice, s);
            if (!private_note.empty()) break;
        }
        f.model().set_practice(std::move(practice));
    }
    REQUIRE(private_note.size() > 10);
    f.model().open_review(f.info.id, f.session.id);
    f.ui.run_frames(3);
    f.click("/##view_", "Export...");
    const std::string preview = f.dialog().preview();
    CHECK(contains(preview, "Partner A (" + f.info.partner_a.display_name + ")"));
    CHECK_FALSE(contains(preview, private_note));
    f.click(kDialog, "Include private process notes");
    CHECK(contains(f.dialog().preview(), private_note));
    f.click(kDialog, "Include private process notes");
    CHECK(f.dialog().preview() == preview);

    REQUIRE(exports(f.model(), "session").empty());  // previews are not exports
    const std::string what = "format=txt session=" + std::to_string(f.session.number) + " style=dap include_private=no";

    ImGui::SetClipboardText("");
    f.click(kDialog, "Copy to clipboard");
    CHECK(std::string(ImGui::GetClipboardText()) == preview);
    auto audited = exports(f.model(), "session");
    REQUIRE(audited.size() == 1);
    CHECK(audited[0].detail == what + " out=clipboard");

    const auto saved = f.dir / "note from the dialog.txt";
    f.save_to(saved);
    REQUIRE(std::filesystem::exists(saved));
    CHECK(test::read_file(saved) == preview);
    CHECK_FALSE(std::filesystem::exists(f.dir / "note from the dialog.txt.tmp"));
    CHECK(f.dialog().problem().empty());
    audited = exports(f.model(), "session");
    REQUIRE(audited.size() == 2);  // newest first
    CHECK(audited[0].detail == what + " out=file path=" + saved.string());
    CHECK(audited[0].entity_id == f.session.uuid);
    CHECK(audited[1].detail == what + " out=clipboard");

    // A folder that does not exist: the dialog says so, no file, no audit row.
    const auto nowhere = f.dir / "no such folder" / "note.txt";
    f.save_to(nowhere);
    INFO(f.dialog().problem());
    CHECK(contains(f.dialog().problem(), "Nothing was saved"));
    CHECK(contains(f.dialog().problem(), nowhere.parent_path().string()));
    CHECK_FALSE(std::filesystem::exists(f.dir / "no such folder"));
    CHECK(exports(f.model(), "session").size() == 2);

    f.model().close_practice();  // the command line refuses a database another Attune has open
    const auto from_cli = f.dir / "cli.txt";
    const int exit_code =
        run_attune("export " + f.db_option() + "--case '" + f.info.label + "' --session " +
                       std::to_string(f.session.number) + " --format txt --out '" + from_cli.string() + "'",
                   f.dir / "cli.log");
    INFO(test::read_file(f.dir / "cli.log"));
    REQUIRE(exit_code == 0);
    CHECK(test::read_file(saved) == test::read_file(from_cli));
}

TEST_CASE("the export dialog of a case saves the summary the command line writes, and a PDF of a date range",
          "[ui][export]") {
    DialogFixture f;
    std::vector<Session> sessions;
    {
        auto practice = f.open();
        test::add_demo(*practice, 1, 4, 20, "2026-03-30");
        f.info = services::list_cases(*practice).at(0).info;
        sessions = services::list_sessions(*practice, f.info.id);
        f.model().set_practice(std::move(practice));
    }
    REQUIRE(sessions.size() == 4);
    REQUIRE(sessions[0].date < sessions[1].date);
    f.model().open_case(f.info.id);
    f.ui.run_frames(3);
    f.click("/##view_", "Export...");
    CHECK(contains(f.dialog().preview(), "# Case summary: " + f.info.label));
    CHECK(contains(f.dialog().preview(), "| Session |"));

    const auto saved = f.dir / "summary.md";
    f.save_to(saved);
    const auto audited = exports(f.model(), "case");
    REQUIRE(audited.size() == 1);
    CHECK(audited[0].detail == "format=md include_private=no out=file path=" + saved.string());

    // A range of one day: the summary of session 2 alone, read again from the store.
    const std::string day = sessions[1].date;
    f.click(kDialog, "##from");
    f.ui.type_text(day.c_str());
    f.click(kDialog, "##to");
    f.ui.type_text(day.c_str());
    f.ui.run_frames(2);
    CHECK(contains(f.dialog().preview(), "Period: " + day + " (1 session)"));
    CHECK(contains(f.dialog().preview(), "| " + day + " |"));  // its row in the metrics table
    CHECK_FALSE(contains(f.dialog().preview(), "| " + sessions[0].date + " |"));

    // The PDF on US Letter, chosen from the list.
    f.click(kDialog, "##format");
    f.click("##Combo_", "Case summary, PDF (with trend charts)");
    f.click(kDialog, "US Letter");
    const auto pdf = f.dir / "summary.pdf";
    f.save_to(pdf);
    REQUIRE(std::filesystem::exists(pdf));
    CHECK(test::read_file(pdf).rfind("%PDF-", 0) == 0);
    const auto after_pdf = exports(f.model(), "case");
    REQUIRE(after_pdf.size() == 2);
    CHECK(after_pdf[0].detail ==
          "format=pdf from=" + day + " to=" + day + " paper=letter include_private=no out=file path=" + pdf.string());

    f.model().close_practice();  // the command line refuses a database another Attune has open
    const auto from_cli = f.dir / "cli.md";
    const int exit_code = run_attune(
        "export " + f.db_option() + "--case '" + f.info.label + "' --format md --out '" + from_cli.string() + "'",
        f.dir / "cli.log");
    INFO(test::read_file(f.dir / "cli.log"));
    REQUIRE(exit_code == 0);
    CHECK(test::read_file(saved) == test::read_file(from_cli));
}
