// First run: the unlock screen offers a demo practice of invented couples,
// made beside the real database (which stays untouched), opened like any other.
#include <catch2/catch_test_macros.hpp>

#include "headless.h"
#include "services/paths.h"
#include "store/backup.h"
#include "store/repositories.h"
#include "support/test_support.h"

#include <cstdlib>

using namespace attune;

namespace {

// XDG_DATA_HOME pointed into the test's folder for the test's lifetime.
struct DataHome {
    std::string previous;
    bool had_previous = false;
    explicit DataHome(const std::filesystem::path& dir) {
        if (const char* old = std::getenv("XDG_DATA_HOME")) {
            previous = old;
            had_previous = true;
        }
        setenv("XDG_DATA_HOME", dir.c_str(), 1);
    }
    ~DataHome() {
        if (had_previous) setenv("XDG_DATA_HOME", previous.c_str(), 1);
        else unsetenv("XDG_DATA_HOME");
    }
    DataHome(const DataHome&) = delete;
    DataHome& operator=(const DataHome&) = delete;
};

}  // namespace

TEST_CASE("the demo practice opens from the unlock screen of a first run, leaving the real path alone", "[ui][unlock]") {
    test::TempDir dir;
    DataHome home(dir / "data");
    test::Headless ui;
    ui::AppModel& model = ui.shell().model();
    model.database_path = (dir / "real.attune-db").string();  // no database there yet: a first run
    ui.run_frames(2);

    const auto demo = ui.find_item("/##view_", {"Open the demo practice"});
    REQUIRE(demo.has_value());
    ui.click(*demo);
    ui.run_frames(1);
    const auto go = ui.find_item("/##view_", {"Continue"});
    REQUIRE(go.has_value());
    ui.click(*go);
    REQUIRE(model.is_open());
    REQUIRE(model.db().path() == io::data_dir() / "demo-practice.attune-db");
    REQUIRE(model.db().path().parent_path() == dir / "data" / "attune");
    REQUIRE(store::CaseRepository(model.db()).list().size() == 8);
    REQUIRE_FALSE(std::filesystem::exists(dir / "real.attune-db"));

    // Opened with its passphrase kept for the background backup's own connection.
    io::BackupPolicy policy;
    policy.enabled = true;
    policy.folder = dir / "backups";
    model.set_backup_policy(policy);
    model.backup_after_session();
    model.wait_for_backup();
    ui.run_frames(1);
    REQUIRE(store::list_backups(model.db().path(), policy.folder).size() == 1);
}
