// The unlock view asks who is using Attune; every write afterwards is
// attributed to that person in the audit log.
#include <catch2/catch_test_macros.hpp>

#include "headless.h"
#include "services/open_practice.h"
#include "store/audit_log.h"
#include "store/repositories.h"
#include "support/test_support.h"

using namespace attune;

namespace {

const char* kPassphrase = "correct horse";

// A database where Dr Lee (clinician) and Dr Super (supervisor) exist.
std::filesystem::path make_database(const test::TempDir& dir) {
    store::OpenOptions options;
    options.path = dir / "practice.db";
    options.passphrase = kPassphrase;
    options.create_if_missing = true;
    io::Practice practice = io::open_practice(options, "Dr Lee");
    store::PeopleRepository(*practice.db).find_or_create("Dr Super", PersonRole::Supervisor);
    return options.path;
}

// Types the passphrase into the unlock view and presses Enter: the "who" step follows.
void unlock(test::Headless& ui, const std::filesystem::path& path) {
    ui.shell().model().database_path = path.string();
    ui.run_frames(2);
    ui.type_text(kPassphrase);
    ui.press_key(257);  // Enter
    ui.run_frames(1);
}

std::vector<store::AuditEntry> case_creations(store::Database& db) {
    store::AuditFilter filter;
    filter.action = "create";
    std::vector<store::AuditEntry> out;
    for (const store::AuditEntry& e : store::AuditLog(db).list(filter))
        if (e.entity == "case") out.push_back(e);
    return out;
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
    CHECK(model.db().actor().name == "Dr Super");
    CHECK(model.db().actor().role == PersonRole::Supervisor);

    store::CaseRepository(model.db()).create(couple("Couple U"));
    const auto created = case_creations(model.db());
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
    CHECK(model.db().actor().name == "Kim Coder");
    const auto kim = store::PeopleRepository(model.db()).find("Kim Coder");
    REQUIRE(kim.has_value());
    CHECK(kim->role == PersonRole::Supervisor);
    // Nobody else was created on the way (no login-name person).
    CHECK(store::PeopleRepository(model.db()).list().size() == 3);

    store::CaseRepository(model.db()).create(couple("Couple K"));
    const auto created = case_creations(model.db());
    REQUIRE(created.size() == 1);
    CHECK(created[0].actor == "Kim Coder");
}
