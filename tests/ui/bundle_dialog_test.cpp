// Bundles in the GUI: the caseload's "Import bundle..." opens the dialog; its
// Import button runs store::import_bundle and shows the merge report.
#include <imgui_internal.h>

#include <catch2/catch_test_macros.hpp>

#include "headless.h"
#include "services/open_practice.h"
#include "store/bundle.h"
#include "store/repositories.h"
#include "store/signing.h"
#include "support/test_support.h"
#include "ui/bundle_dialogs.h"
#include "support/practice_fixture.h"

using namespace attune;

namespace {

const char* kBundlePassphrase = "bundle secret 42";

store::OpenOptions options_for(const std::filesystem::path& path) {
    store::OpenOptions options;
    options.path = path;
    options.passphrase = "correct horse";
    options.create_if_missing = true;
    return options;
}

// A bundle with 1 case, 1 session, 2 observations, 1 progress note and its signature.
std::filesystem::path make_bundle(const test::TempDir& dir) {
    io::Practice source = io::open_practice(options_for(dir / "source.db"), "Dr Source");
    store::Database& db = *source.db;
    const Case c = test::add_couple(db, "Couple D");
    const Session s = store::SessionRepository(db).start(c.id, "2026-11-01", "10:00", 1000.0);
    for (double t : {10.0, 20.0}) {
        Observation o;
        o.session_id = s.id;
        o.t = t;
        o.who = Who::A;
        o.code_id = "validate";
        store::ObservationRepository(db).add(o);
    }
    store::SessionRepository(db).save_progress_note(s.id, {"data", "assessment", "plan"});
    store::SessionRepository(db).end(s.id, 600);
    store::SigningRepository(db).sign(s.id);
    const auto path = dir / "d.attune";
    store::export_bundle(db, {"Couple D", "", false}, path, kBundlePassphrase);
    return path;
}

struct DialogFixture {
    test::TempDir dir;
    test::Headless ui;
    ui::BundleDialogs dialogs;
    std::filesystem::path bundle;

    DialogFixture() : bundle(make_bundle(dir)) {
        ui.shell().model().set_practice(io::open_practice(options_for(dir / "target.db"), "Dr Target"));
    }
    void frame() {
        ImGui::NewFrame();
        ImGui::Begin("Host");
        dialogs.draw(ui.shell().model(), {}, {});
        ImGui::End();
        ImGui::Render();
    }
    std::optional<ImVec2> find(ImGuiWindow* window, ImGuiID id) {
        const ImRect area = window->InnerClipRect;
        std::optional<ImVec2> found;
        for (float y = area.Min.y + 4; y < area.Max.y && !found; y += 8)
            for (float x = area.Min.x + 4; x < area.Max.x && !found; x += 12) {
                ImGui::GetIO().MousePos = ImVec2(x, y);
                frame();
                if (ImGui::GetCurrentContext()->HoveredId == id) found = ImVec2(x, y);
            }
        return found;
    }
    // Clicks the dialog's "Import" button.
    void click_import() {
        frame();
        frame();  // an auto-resized popup is sized in its first frames
        ImGuiWindow* popup = ImGui::FindWindowByName("Import bundle");
        REQUIRE(popup != nullptr);
        const auto button = find(popup, ImHashStr("Import", 0, popup->ID));
        REQUIRE(button.has_value());
        ImGui::GetIO().MousePos = *button;
        frame();
        ImGui::GetIO().MouseDown[0] = true;
        frame();
        ImGui::GetIO().MouseDown[0] = false;
        frame();
    }
};

}  // namespace

TEST_CASE("the import dialog shows added, updated, unchanged and conflicts", "[ui][bundle]") {
    DialogFixture f;
    f.dialogs.open_import();
    f.frame();
    f.dialogs.import_state().path = f.bundle.string();
    f.dialogs.import_state().passphrase = kBundlePassphrase;
    f.click_import();
    REQUIRE(f.dialogs.import_state().error.empty());
    REQUIRE(f.dialogs.import_state().report);
    const store::BundleImportReport& first = *f.dialogs.import_state().report;
    // case + session + 2 observations + note + signature = 6 rows, all new.
    CHECK(first.created.total() == 6);
    CHECK(first.created.signatures == 1);
    CHECK(first.updated.total() == 0);
    CHECK(first.unchanged() == 0);
    CHECK(first.conflicts.empty());
    CHECK(f.dialogs.import_state().passphrase.empty());  // wiped after use
    store::Database& db = f.ui.shell().model().db();
    const RowId case_id = store::CaseRepository(db).find_by_label("Couple D")->id;
    CHECK(store::SigningRepository(db).is_signed(store::SessionRepository(db).find(case_id, 1)->id));

    // The same bundle again: everything unchanged.
    f.dialogs.import_state().passphrase = kBundlePassphrase;
    f.click_import();
    REQUIRE(f.dialogs.import_state().report);
    const store::BundleImportReport& again = *f.dialogs.import_state().report;
    CHECK(again.created.total() == 0);
    CHECK(again.updated.total() == 0);
    CHECK(again.unchanged() == 6);
    CHECK(again.conflicts.empty());
}

TEST_CASE("a wrong bundle passphrase is shown in the dialog and imports nothing", "[ui][bundle]") {
    DialogFixture f;
    f.dialogs.open_import();
    f.frame();
    f.dialogs.import_state().path = f.bundle.string();
    f.dialogs.import_state().passphrase = "not the passphrase";
    f.click_import();
    CHECK_FALSE(f.dialogs.import_state().report);
    CHECK(f.dialogs.import_state().error.find("wrong bundle passphrase") != std::string::npos);
    CHECK(store::CaseRepository(f.ui.shell().model().db()).list().empty());
}

TEST_CASE("export refuses two different passphrases and writes with matching ones", "[ui][bundle]") {
    DialogFixture f;
    f.dialogs.import_state().path = f.bundle.string();
    f.dialogs.import_state().passphrase = kBundlePassphrase;
    REQUIRE(f.dialogs.run_import(f.ui.shell().model()));
    f.dialogs.open_export("Couple D", "");
    ui::BundleExportState& e = f.dialogs.export_state();
    e.path = (f.dir / "out.attune").string();
    e.passphrase = "another secret";
    e.confirm = "another secreT";
    CHECK_FALSE(f.dialogs.run_export(f.ui.shell().model()));
    CHECK(e.error.find("differ") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(f.dir / "out.attune"));
    e.confirm = "another secret";
    REQUIRE(f.dialogs.run_export(f.ui.shell().model()));
    REQUIRE(e.written);
    CHECK(e.written->cases == 1);
    CHECK(e.written->signatures == 1);
    CHECK(std::filesystem::exists(f.dir / "out.attune"));
}

TEST_CASE("the caseload's Import bundle button opens the import dialog", "[ui][bundle]") {
    DialogFixture f;
    f.ui.shell().model().show_caseload();
    f.ui.run_frames(3);
    const auto button = f.ui.find_item("/##view_", {"Import bundle..."});
    REQUIRE(button.has_value());
    f.ui.click(*button);
    f.ui.run_frames(2);
    ImGuiWindow* popup = ImGui::FindWindowByName("Import bundle");
    REQUIRE(popup != nullptr);
    CHECK(popup->Active);
}
