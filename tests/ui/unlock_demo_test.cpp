// First run: the unlock screen offers a demo practice of invented couples,
// made beside the real database (which stays untouched), opened like any other.
#include <catch2/catch_test_macros.hpp>

#include "headless.h"
#include "services/audit.h"
#include "services/backups.h"
#include "services/cases.h"
#include "services/paths.h"
#include "support/practice_fixture.h"
#include "support/test_support.h"

using namespace attune;

namespace {

std::size_t files_in(const std::filesystem::path& folder) {
    if (!std::filesystem::is_directory(folder)) return 0;
    std::size_t count = 0;
    for (const auto& entry : std::filesystem::directory_iterator(folder))
        count += entry.is_regular_file() ? 1 : 0;
    return count;
}

}  // namespace

TEST_CASE("the demo practice opens from the unlock screen of a first run, leaving the real path alone",
          "[ui][unlock]") {
    test::TempDir dir;
    test::ScopedEnv home("XDG_DATA_HOME", (dir / "data").string());
    test::Headless ui;
    ui::AppModel& model = ui.shell().model();
    model.set_key_limits_for_tests(test::kTestKdf, test::kTestKdf);  // the demo's slots too (fast)
    model.database_path = (dir / "real.attune-db").string();         // no database there yet: a first run
    ui.run_frames(2);
    // The offer says how to sign in to it again later.
    CHECK(ui.find_text("\"Demo user\"").has_value());

    const auto demo = ui.find_item("/##view_", {"Open the demo practice"});
    REQUIRE(demo.has_value());
    ui.click(*demo);
    ui.run_frames(1);
    // No recovery key screen: the demo's passphrase is public anyway.
    REQUIRE(model.is_open());
    REQUIRE(model.practice().path() == services::data_dir() / "demo-practice (invented couples).attune-db");
    REQUIRE(model.practice().path().parent_path() == dir / "data" / "attune");
    CHECK(model.practice().person().name == "Demo user");
    CHECK(ui.find_text("Signed in: Demo user").has_value());
    REQUIRE(services::list_cases(model.practice()).size() == 8);
    REQUIRE_FALSE(std::filesystem::exists(dir / "real.attune-db"));

    // The practice gives the background backup its own connection (it keeps no passphrase copy).
    services::BackupPolicy policy;
    policy.enabled = true;
    policy.folder = dir / "backups";
    model.set_backup_policy(policy);
    model.backup_after_session();
    model.wait_for_backup();
    ui.run_frames(1);
    REQUIRE(files_in(policy.folder) == 3);  // the backup, its keyring and its audit checkpoint beside it
    CHECK(services::audit_entries(model.practice(), AuditFilter::of_action("backup", 10)).size() == 1);

    // Locked, the demo opens again from the same button (signing in, not making it anew).
    model.close_practice();
    ui.run_frames(2);
    const auto again = ui.find_item("/##view_", {"Open the demo practice"});
    REQUIRE(again.has_value());
    ui.click(*again);
    REQUIRE(model.is_open());
    CHECK(model.practice().person().name == "Demo user");
    CHECK(services::list_cases(model.practice()).size() == 8);
}

TEST_CASE("the demo practice carries a bar that names it on every screen; a real practice has none",
          "[ui][unlock][demo]") {
    test::TempDir dir;
    test::ScopedEnv home("XDG_DATA_HOME", (dir / "data").string());
    test::Headless ui;
    ui::AppModel& model = ui.shell().model();
    model.set_key_limits_for_tests(test::kTestKdf, test::kTestKdf);
    model.database_path = (dir / "real.attune-db").string();
    ui.run_frames(2);
    const auto demo = ui.find_item("/##view_", {"Open the demo practice"});
    REQUIRE(demo.has_value());
    ui.click(*demo);
    ui.run_frames(2);
    REQUIRE(model.is_open());
    CHECK(test::text_on_screen(ui, "Demo practice: invented couples"));
    CHECK(test::text_on_screen(ui, "never enter real clients here"));
    CHECK(ui.shell().window_title() == "Attune - Demo practice: invented couples");
    // The demo's file is not the practice's.
    CHECK(model.practice().path() != services::default_database_path());
    for (const char* view : {"case", "review", "settings"}) {
        INFO(view << (model.message() ? ": " + model.message()->text : std::string()));
        REQUIRE(ui.shell().show_view(view));
        ui.settle();
        CHECK(test::text_on_screen(ui, "Demo practice: invented couples"));
    }

    // A real practice: no bar, its own file name in the title.
    model.set_practice(test::new_practice(dir / "real.attune-db", "the real practice", "Dr Real"));
    ui.run_frames(2);
    CHECK_FALSE(ui.find_text("Demo practice").has_value());
    CHECK(ui.shell().window_title() == "Attune - real.attune-db");
}

TEST_CASE("the session the demo leaves running is said to be the demo's; a real one left running is not",
          "[ui][demo]") {
    test::TempDir dir;
    test::Headless ui;
    auto demo = test::new_practice(dir / "demo.db", "demo passphrase", "Dr Demo");
    test::add_demo(*demo, 1, 2, 10);  // the first couple's last session is left running
    ui.shell().model().set_practice(std::move(demo));
    ui.settle(30);
    CHECK(test::text_on_screen(ui, "left running by the demo, to show resuming"));
    CHECK_FALSE(ui.find_text("was running when Attune closed").has_value());

    auto real = test::new_practice(dir / "real.db", "real passphrase", "Dr Real");
    const Case c = test::add_couple(*real, "Couple R");
    services::start_session(*real, c.id, "2026-11-22");
    ui.shell().model().set_practice(std::move(real));
    ui.settle(30);
    CHECK(test::text_on_screen(ui, "was running when Attune closed"));
    CHECK_FALSE(ui.find_text("left running by the demo").has_value());
}
