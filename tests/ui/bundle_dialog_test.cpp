// Bundles in the window: the caseload's "Import bundle..." and "Export
// bundle..." open their dialogs, which run services::import_bundle and
// export_bundle (the code path of `attune bundle`) when the user confirms.
// Driven through the real caseload view: clicks, Tab and typing.
#include <catch2/catch_test_macros.hpp>

#include "headless.h"
#include "services/audit.h"
#include "services/bundles.h"
#include "session_data.h"
#include "support/practice_fixture.h"
#include "support/test_support.h"
#include "ui/keys.h"

using namespace attune;
namespace keys = attune::ui::keys;

namespace {

constexpr const char* kBundlePassphrase = "bundle secret 42";

// A bundle of "Couple D": 1 case, 1 session, 2 observations, 1 progress note and its signature.
std::filesystem::path make_bundle(const test::TempDir& dir) {
    auto source = test::new_practice(dir / "source.db", "correct horse", "Dr Source");
    const Case c = test::add_couple(*source, "Couple D");
    Session s = services::start_session(*source, c.id, "2026-11-01");
    for (double t : {10.0, 20.0})
        test::add_observation(*source, s, Who::A, t, "validate");
    s = test::end_session(*source, s, 600);
    test::save_notes(*source, s.id, {"data", "assessment", "plan"}, "");
    services::sign_session(*source, s.id);
    const auto path = dir / "d.attune";
    BundleSelection selection;
    selection.case_label = "Couple D";
    services::export_bundle(*source, selection, path, services::KeyMaterial(kBundlePassphrase));
    return path;
}

// An empty practice of Dr Target open in the caseload.
struct DialogFixture {
    test::TempDir dir;
    test::Headless ui;
    std::filesystem::path bundle = make_bundle(dir);

    DialogFixture() {
        model().set_practice(test::new_practice(dir / "target.db", "correct horse", "Dr Target"));
        ui.settle(30);
    }
    ui::AppModel& model() { return ui.shell().model(); }
    services::OpenPractice& practice() { return model().practice(); }

    void click(const std::string& window, const std::string& id) {
        const auto at = ui.find_item(window, {id});
        INFO("clicking " << id << " in " << window);
        REQUIRE(at.has_value());
        ui.click(*at);
        ui.run_frames(2);
    }
    // Clicks into a field, selects its text and types over it.
    void retype(const std::string& window, const std::string& field, const std::string& text) {
        click(window, field);
        ui.press_key(keys::letter('a'), true);
        ui.type_text(text.c_str());
    }
    // "Import bundle...", the file (which has the keyboard), Tab, the passphrase,
    // "Import" (the preview), then "Confirm import" when the preview is shown.
    void import_with(const std::string& passphrase) {
        click("/##view_", "Import bundle...");
        REQUIRE(ui.popup_open("Import bundle"));
        ui.type_text(bundle.c_str());
        ui.press_key(keys::kTab);
        ui.type_text(passphrase.c_str());
        click("Import bundle", "Import");
        if (dialog_has("Import bundle", "Confirm import")) click("Import bundle", "Confirm import");
    }
    bool dialog_has(const std::string& window, const std::string& button) {
        return ui.find_item(window, {button}).has_value();
    }
    std::size_t rows_created() { return services::audit_entries(practice(), AuditFilter::of_action("create")).size(); }
};

}  // namespace

TEST_CASE("the import dialog merges a bundle once: the same bundle again adds nothing", "[ui][bundle]") {
    DialogFixture f;
    REQUIRE(services::list_cases(f.practice()).empty());
    f.import_with(kBundlePassphrase);
    CHECK(f.ui.popup_open("Import bundle"));  // it stays open with its merge report
    CHECK(f.dialog_has("Import bundle", "Close"));
    const auto cases = services::list_cases(f.practice());
    REQUIRE(cases.size() == 1);
    CHECK(cases[0].info.label == "Couple D");
    const Session s = services::find_session(f.practice(), cases[0].info, 1);
    CHECK(test::stored_observations(f.practice(), s).size() == 2);
    CHECK(test::stored_note(f.practice(), s).plan == "plan");
    CHECK(services::is_signed(f.practice(), s.id));

    // Again, after closing: every row is here already, nothing is created.
    f.click("Import bundle", "Close");
    REQUIRE_FALSE(f.ui.popup_open("Import bundle"));
    const std::size_t created = f.rows_created();
    f.import_with(kBundlePassphrase);
    CHECK(f.dialog_has("Import bundle", "Close"));
    CHECK(f.rows_created() == created);
    CHECK(services::list_cases(f.practice()).size() == 1);
    CHECK(test::stored_observations(f.practice(), s).size() == 2);
}

TEST_CASE("a wrong bundle passphrase keeps the dialog open and imports nothing", "[ui][bundle]") {
    DialogFixture f;
    f.import_with("not the passphrase");
    CHECK(f.ui.popup_open("Import bundle"));
    CHECK_FALSE(f.dialog_has("Import bundle", "Close"));  // no merge report: still "Cancel"
    CHECK(f.dialog_has("Import bundle", "Cancel"));
    CHECK(services::list_cases(f.practice()).empty());

    // The right one in the same dialog previews, then imports on Confirm.
    f.retype("Import bundle", "Bundle passphrase##bundle_in_pass", kBundlePassphrase);
    f.click("Import bundle", "Import");
    CHECK(services::list_cases(f.practice()).empty());
    f.click("Import bundle", "Confirm import");
    CHECK(services::list_cases(f.practice()).size() == 1);
}

TEST_CASE("the export dialog refuses two different passphrases and writes with matching ones", "[ui][bundle]") {
    DialogFixture f;
    services::import_bundle(f.practice(), f.bundle, services::KeyMaterial(kBundlePassphrase));
    f.ui.run_frames(2);
    const auto out = f.dir / "out.attune";
    f.click("/##view_", "Export bundle...");
    REQUIRE(f.ui.popup_open("Export bundle"));
    f.ui.press_key(keys::letter('a'), true);  // the file field has the keyboard: type over its default
    f.ui.type_text(out.c_str());
    f.ui.press_key(keys::kTab);
    f.ui.type_text("another secret");
    f.ui.press_key(keys::kTab);
    f.ui.type_text("another secreT");
    f.click("Export bundle", "Export");
    CHECK(f.ui.popup_open("Export bundle"));
    CHECK_FALSE(std::filesystem::exists(out));

    f.retype("Export bundle", "Type it again##bundle_pass2", "another secret");
    f.click("Export bundle", "Export");
    REQUIRE(std::filesystem::exists(out));
    CHECK(f.dialog_has("Export bundle", "Close"));

    // What was written: the case with its signed note, under the passphrase typed.
    auto elsewhere = test::new_practice(f.dir / "elsewhere.db", "correct horse", "Dr Elsewhere");
    const BundleImportReport report = services::import_bundle(*elsewhere, out, services::KeyMaterial("another secret"));
    CHECK(report.created.cases == 1);
    CHECK(report.created.sessions == 1);
    CHECK(report.created.observations == 2);
    CHECK(report.created.signatures == 1);
}

TEST_CASE("the caseload's Import bundle button opens the import dialog, Cancel closes it", "[ui][bundle]") {
    DialogFixture f;
    REQUIRE_FALSE(f.ui.popup_open("Import bundle"));
    f.click("/##view_", "Import bundle...");
    CHECK(f.ui.popup_open("Import bundle"));
    CHECK(f.ui.window_shown("Import bundle"));
    f.click("Import bundle", "Cancel");
    CHECK_FALSE(f.ui.popup_open("Import bundle"));
    CHECK(services::list_cases(f.practice()).empty());
}

TEST_CASE("the export dialog encrypts to people's keys; the named person imports it with no passphrase, no one else",
          "[ui][bundle][sealed]") {
    DialogFixture f;
    services::import_bundle(f.practice(), f.bundle, services::KeyMaterial(kBundlePassphrase));
    test::add_person(f.practice(), "Dr Peer", GrantRole::Clinician, "peer passphrase");
    f.ui.run_frames(2);
    const auto out = f.dir / "sealed.attune";
    f.click("/##view_", "Export bundle...");
    REQUIRE(f.ui.popup_open("Export bundle"));
    f.ui.press_key(keys::letter('a'), true);  // the file field has the keyboard: type over its default
    f.ui.type_text(out.c_str());
    f.click("Export bundle", "Encrypt to people (their keys)");
    CHECK_FALSE(f.dialog_has("Export bundle", "Bundle passphrase##bundle_pass1"));
    f.click("Export bundle", "People (names, comma-separated)##bundle_to");
    f.ui.type_text("Dr Peer");
    f.click("Export bundle", "Export");
    REQUIRE(std::filesystem::exists(out));
    CHECK(f.dialog_has("Export bundle", "Close"));
    const auto recipients = services::sealed_bundle_recipients(out);
    REQUIRE(recipients.size() == 1);
    CHECK(recipients[0].name == "Dr Peer");
    f.click("Export bundle", "Close");

    // Dr Target (signed in) is not a recipient: refused, the dialog stays open without a report.
    const auto import_sealed = [&] {
        f.click("/##view_", "Import bundle...");
        REQUIRE(f.ui.popup_open("Import bundle"));
        f.ui.press_key(keys::letter('a'), true);  // the file field keeps what was typed last time
        f.ui.type_text(out.c_str());
        f.click("Import bundle", "Import");
    };
    import_sealed();
    CHECK(f.dialog_has("Import bundle", "Cancel"));
    CHECK_FALSE(f.dialog_has("Import bundle", "Close"));
    f.click("Import bundle", "Cancel");

    // Dr Peer, signed in, opens it with their own key: the merge report (every row already here).
    f.model().close_practice();
    f.model().set_practice(test::open_practice(f.dir / "target.db", "peer passphrase", "Dr Peer"));
    f.ui.settle(30);
    import_sealed();
    // Opened with Dr Peer's own key, it is previewed first; Confirm imports it.
    REQUIRE(f.dialog_has("Import bundle", "Confirm import"));
    f.click("Import bundle", "Confirm import");
    CHECK(f.dialog_has("Import bundle", "Close"));
}

TEST_CASE("the import dialog shows what will change before anything is written, and imports on Confirm",
          "[ui][bundle]") {
    DialogFixture f;
    const std::size_t audit_rows = services::audit_entries(f.practice(), AuditFilter{}).size();
    f.click("/##view_", "Import bundle...");
    f.ui.type_text(f.bundle.c_str());
    f.ui.press_key(keys::kTab);
    f.ui.type_text(kBundlePassphrase);
    f.click("Import bundle", "Import");
    // The preview: counts per kind, a Confirm, and nothing written yet.
    REQUIRE(f.dialog_has("Import bundle", "Confirm import"));
    CHECK(test::text_on_screen(f.ui, "What the import will do"));
    for (const char* row : {"cases", "sessions", "observations", "progress notes", "private notes", "people"})
        CHECK(test::text_on_screen(f.ui, row));
    CHECK(test::text_on_screen(f.ui, "Unchanged"));
    CHECK(test::text_on_screen(f.ui, "Nothing is written until you confirm."));
    CHECK(services::list_cases(f.practice()).empty());
    CHECK(services::audit_entries(f.practice(), AuditFilter{}).size() == audit_rows);

    // Cancel at the preview writes nothing either.
    f.click("Import bundle", "Cancel");
    CHECK_FALSE(f.ui.popup_open("Import bundle"));
    CHECK(services::list_cases(f.practice()).empty());

    f.import_with(kBundlePassphrase);
    CHECK(f.dialog_has("Import bundle", "Close"));
    CHECK(services::list_cases(f.practice()).size() == 1);
}
