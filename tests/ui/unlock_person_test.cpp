// The unlock view asks who is using Attune; every write afterwards is
// attributed to that person in the audit log.
#include <catch2/catch_test_macros.hpp>

#include "headless.h"
#include "services/audit.h"
#include "services/cases.h"
#include "services/people.h"
#include "support/practice_fixture.h"
#include "support/test_support.h"

using namespace attune;

namespace {

const char* kPassphrase = "correct horse";

// A database where Dr Lee (clinician) and Dr Super (supervisor) exist.
std::filesystem::path make_database(const test::TempDir& dir) {
    const auto path = dir / "practice.db";
    auto practice = test::new_practice(path, kPassphrase, "Dr Lee");
    services::add_person(*practice, "Dr Super", PersonRole::Supervisor);
    return path;
}

// Types the passphrase into the unlock view and presses Enter: the "who" step follows.
void unlock(test::Headless& ui, const std::filesystem::path& path) {
    ui.shell().model().database_path = path.string();
    ui.run_frames(2);
    ui.type_text(kPassphrase);
    ui.press_key(257);  // Enter
    ui.run_frames(1);
}

std::vector<AuditEntry> case_creations(services::OpenPractice& practice) {
    return services::audit_entries(practice, AuditFilter::of_action("create", 1000, "case"));
}

Case couple(const std::string& label) {
    Case c;
    c.label = label;
    c.partner_a.display_name = "Ana";
    c.partner_b.display_name = "Ben";
    return c;
}

}  // namespace

TEST_CASE("a write after unlocking as a chosen person is audited as that person", "[ui][unlock]") {
    test::TempDir dir;
    const auto path = make_database(dir);
    test::Headless ui;
    unlock(ui, path);
    ui::AppModel& model = ui.shell().model();
    REQUIRE_FALSE(model.is_open());  // waiting for "who is using Attune"

    const auto super = ui.find_item("/##view_", {"Dr Super (supervisor)"});
    REQUIRE(super.has_value());
    ui.click(*super);
    const auto go = ui.find_item("/##view_", {"Continue"});
    REQUIRE(go.has_value());
    ui.click(*go);
    REQUIRE(model.is_open());
    CHECK(model.screen() == ui::Screen::Caseload);
    CHECK(model.practice().person().name == "Dr Super");
    CHECK(model.practice().person().role == PersonRole::Supervisor);

    services::add_case(model.practice(), couple("Couple U"));
    const auto created = case_creations(model.practice());
    REQUIRE(created.size() == 1);
    CHECK(created[0].actor == "Dr Super");
}

TEST_CASE("a new person chosen at unlock is created with the chosen role and writes as them", "[ui][unlock]") {
    test::TempDir dir;
    const auto path = make_database(dir);
    test::Headless ui;
    unlock(ui, path);
    ui::AppModel& model = ui.shell().model();

    const auto new_person = ui.find_item("/##view_", {"New person..."});
    REQUIRE(new_person.has_value());
    ui.click(*new_person);
    const auto name = ui.find_item("/##view_", {"##new_person"});
    REQUIRE(name.has_value());
    ui.click(*name);
    ui.type_text("Kim Coder");
    const auto supervisor = ui.find_item("/##view_", {"Supervisor"});
    REQUIRE(supervisor.has_value());
    ui.click(*supervisor);
    const auto go = ui.find_item("/##view_", {"Continue"});
    REQUIRE(go.has_value());
    ui.click(*go);
    REQUIRE(model.is_open());
    CHECK(model.practice().person().name == "Kim Coder");
    const Person kim = services::find_person(model.practice(), "Kim Coder");
    CHECK(kim.role == PersonRole::Supervisor);
    // Nobody else was created on the way (no login-name person).
    CHECK(services::list_people(model.practice()).size() == 3);

    services::add_case(model.practice(), couple("Couple K"));
    const auto created = case_creations(model.practice());
    REQUIRE(created.size() == 1);
    CHECK(created[0].actor == "Kim Coder");
}
