// Managing people in the window (issue 16): Practice > People... is offered
// to administrators only; it lists everyone with their roles and key
// fingerprints, adds a person who can then sign in with their own
// passphrase, resets a passphrase and grants or revokes roles. On the case
// view its clinician names the case's supervisor and shares the case.
#include "ui/people_dialog.h"

#include <catch2/catch_test_macros.hpp>

#include "headless.h"
#include "services/people.h"
#include "session_data.h"
#include "support/practice_fixture.h"
#include "support/test_support.h"
#include "ui/keys.h"

using namespace attune;

namespace {

constexpr const char* kLeePassphrase = "correct horse";
constexpr const char* kDialog = "People of this practice";

// Dr Lee (administrator, clinician) treats Couple P; Dr Sam is a supervisor.
struct PeopleFixture {
    test::TempDir dir;
    test::Headless ui;
    std::filesystem::path path = dir / "practice.attune-db";
    Case couple;

    PeopleFixture() {
        auto practice = test::new_practice(path, kLeePassphrase, "Dr Lee");
        test::add_person(*practice, "Dr Sam", GrantRole::Supervisor);
        couple = test::add_couple(*practice, "Couple P");
    }
    ui::AppModel& model() { return ui.shell().model(); }
    void show_as(const std::string& name, const std::string& passphrase = "their passphrase") {
        model().close_practice();
        model().set_practice(test::open_practice(path, passphrase, name));
        ui.run_frames(2);
    }
    // The Practice menu, opened as a keyboard user does (the menu bar is
    // outside the area find_item searches): Alt, then Space.
    void open_practice_menu() {
        ui.press_key(ui::keys::kLeftAlt, false, false, true);
        ui.press_key(ui::keys::kSpace);
        REQUIRE(ui.popup_open("##Menu_00"));
    }
    void click(const std::string& window, const std::vector<test::Headless::IdPart>& id) {
        const auto at = ui.find_item(window, id);
        INFO("clicking " << (id.back().number ? std::to_string(*id.back().number) : id.back().text) << " in " << window
                         << "; on screen:\n"
                         << test::screen_text(ui));
        REQUIRE(at.has_value());
        ui.click(*at);
        ui.run_frames(2);
    }
    void type_into(const std::vector<test::Headless::IdPart>& field, const std::string& text) {
        click(kDialog, field);
        ui.press_key(ui::keys::letter('a'), true);  // replaces what the field held
        ui.type_text(text.c_str());
    }
    std::optional<services::PersonEntry> listed(const std::string& name) {
        for (const services::PersonEntry& e : ui.shell().people().people())
            if (e.person.name == name) return e;
        return std::nullopt;
    }
    std::set<GrantRole> roles_of(const std::string& name) {
        const auto entry = listed(name);
        REQUIRE(entry.has_value());
        return entry->roles;
    }
    bool shown(const std::string& text) { return test::text_on_screen(ui, text); }
};

}  // namespace

TEST_CASE("Practice > People lists everyone with roles and key fingerprints, and only administrators get it",
          "[ui][people]") {
    PeopleFixture f;
    f.show_as("Dr Sam");
    f.open_practice_menu();
    CHECK(f.ui.find_item("##Menu_00", {"Audit trail..."}).has_value());
    CHECK_FALSE(f.ui.find_item("##Menu_00", {"People..."}).has_value());
    f.ui.press_key(ui::keys::kEscape);

    f.show_as("Dr Lee", kLeePassphrase);
    f.open_practice_menu();
    f.click("##Menu_00", {"People..."});
    REQUIRE(f.ui.popup_open(kDialog));
    REQUIRE(f.ui.shell().people().people().size() == 2);  // the recovery key is not a person to manage
    const auto sam = f.listed("Dr Sam");
    REQUIRE(sam.has_value());
    REQUIRE(sam->fingerprint.size() == 44);
    CHECK(f.shown(sam->fingerprint));
    CHECK(f.shown("Dr Lee (you)"));
    CHECK(f.shown("clinician, administrator"));
    CHECK(f.shown("supervisor"));
    // The fingerprints are shown whole.
    for (const auto& run : f.ui.shown_text())
        if (run.text == sam->fingerprint) CHECK_FALSE(run.clipped);
}

TEST_CASE("an administrator adds a person in the People dialog, who then signs in with their own passphrase",
          "[ui][people]") {
    PeopleFixture f;
    f.show_as("Dr Lee", kLeePassphrase);
    f.ui.shell().people().open();
    f.ui.run_frames(2);
    f.type_into({"add", "##name"}, "Kim Coder");
    f.click(kDialog, {"add", "##role"});
    f.click("##Combo_0", {"coder"});
    f.type_into({"add", "##passphrase"}, "too short");
    f.type_into({"add", "##passphrase_again"}, "too short");
    f.click(kDialog, {"add", "Add person"});
    CHECK(f.ui.shell().people().problem().find("12") != std::string::npos);
    CHECK(f.shown(f.ui.shell().people().problem()));
    CHECK_FALSE(f.listed("Kim Coder").has_value());

    f.type_into({"add", "##passphrase"}, "kim's own passphrase");
    f.type_into({"add", "##passphrase_again"}, "kim's own passphrase");
    f.click(kDialog, {"add", "Add person"});
    INFO(f.ui.shell().people().problem());
    const auto kim = f.listed("Kim Coder");
    REQUIRE(kim.has_value());
    CHECK(kim->roles == std::set<GrantRole>{GrantRole::Coder});
    CHECK(kim->can_sign_in);
    CHECK(f.shown("Kim Coder is a person of this practice now"));

    f.model().close_practice();
    auto as_kim = test::open_practice(f.path, "kim's own passphrase", "Kim Coder");
    CHECK(as_kim->holds(GrantRole::Coder));
    CHECK_FALSE(as_kim->holds(GrantRole::Administrator));
}

TEST_CASE("the People dialog grants and revokes a role and resets a forgotten passphrase", "[ui][people]") {
    PeopleFixture f;
    f.show_as("Dr Lee", kLeePassphrase);
    f.ui.shell().people().open();
    f.ui.run_frames(2);
    f.click(kDialog, {"##people", "Dr Sam"});
    CHECK(f.shown("Each change is a statement signed with your key."));

    f.click(kDialog, {"selected", "coder"});
    CHECK(f.roles_of("Dr Sam") == std::set<GrantRole>{GrantRole::Supervisor, GrantRole::Coder});
    f.click(kDialog, {"selected", "supervisor"});
    CHECK(f.roles_of("Dr Sam") == std::set<GrantRole>{GrantRole::Coder});
    CHECK(f.shown("Dr Sam no longer holds the role supervisor."));

    const std::string old_fingerprint = f.listed("Dr Sam").value().fingerprint;
    f.type_into({"selected", "##reset"}, "sam's new passphrase");
    f.type_into({"selected", "##reset_again"}, "sam's new passphrase");
    f.click(kDialog, {"selected", "Reset passphrase"});
    INFO(f.ui.shell().people().problem());
    CHECK(f.ui.shell().people().problem().empty());
    CHECK(f.listed("Dr Sam").value().fingerprint != old_fingerprint);  // a new key pair comes with it

    f.model().close_practice();
    CHECK_THROWS(test::open_practice(f.path, "their passphrase", "Dr Sam"));
    auto as_sam = test::open_practice(f.path, "sam's new passphrase", "Dr Sam");
    CHECK(as_sam->holds(GrantRole::Coder));
    CHECK_FALSE(as_sam->holds(GrantRole::Supervisor));
}

TEST_CASE("the case's clinician names its supervisor and shares it from the case view", "[ui][people]") {
    PeopleFixture f;
    {
        auto practice = test::open_practice(f.path, kLeePassphrase, "Dr Lee");
        test::add_person(*practice, "Dr Two", GrantRole::Clinician);
    }
    // Someone who is neither its clinician nor an administrator gets neither button.
    f.show_as("Dr Two");
    CHECK(services::list_cases(f.model().practice()).empty());

    f.show_as("Dr Lee", kLeePassphrase);
    f.model().open_case(f.couple.id);
    f.ui.run_frames(3);
    CHECK(f.shown("supervisor not named"));
    f.click("/##view_", {"Name supervisor..."});
    REQUIRE(f.ui.popup_open("Name the case's supervisor"));
    f.click("Name the case's supervisor", {"##person"});
    CHECK(f.ui.find_item("##Combo_0", {"Dr Sam"}).has_value());
    CHECK_FALSE(f.ui.find_item("##Combo_0", {"Dr Lee"}).has_value());  // never their own supervisor
    CHECK_FALSE(f.ui.find_item("##Combo_0", {"Dr Two"}).has_value());  // not a supervisor
    f.click("##Combo_0", {"Dr Sam"});
    f.click("Name the case's supervisor", {"Name supervisor"});
    CHECK(services::get_case(f.model().practice(), f.couple.id)->supervisor_name == "Dr Sam");
    f.ui.run_frames(2);
    CHECK(f.shown("supervisor Dr Sam"));

    f.click("/##view_", {"Share case..."});
    REQUIRE(f.ui.popup_open("Share this case"));
    f.click("Share this case", {"##person"});
    CHECK_FALSE(f.ui.find_item("##Combo_0", {"Dr Sam"}).has_value());  // not a clinician
    f.click("##Combo_0", {"Dr Two"});
    f.click("Share this case", {"Share"});

    // Dr Two reads it now; Dr Sam supervises it and gets neither button.
    f.show_as("Dr Two");
    REQUIRE(services::list_cases(f.model().practice()).size() == 1);
    f.show_as("Dr Sam");
    f.model().open_case(f.couple.id);
    f.ui.run_frames(3);
    CHECK(f.shown("Couple P"));
    CHECK_FALSE(f.ui.find_item("/##view_", {"Name supervisor..."}).has_value());
    CHECK_FALSE(f.ui.find_item("/##view_", {"Share case..."}).has_value());
    CHECK_FALSE(f.ui.find_item("/##view_", {"Stop sharing..."}).has_value());

    // Its clinician stops sharing it: Dr Two no longer reads it.
    f.show_as("Dr Lee", kLeePassphrase);
    f.model().open_case(f.couple.id);
    f.ui.run_frames(3);
    f.click("/##view_", {"Stop sharing..."});
    REQUIRE(f.ui.popup_open("Stop sharing this case"));
    f.click("Stop sharing this case", {"##person"});
    CHECK_FALSE(f.ui.find_item("##Combo_0", {"Dr Sam"}).has_value());  // supervises it; not shared with
    f.click("##Combo_0", {"Dr Two"});
    f.click("Stop sharing this case", {"Stop sharing"});
    CHECK(services::case_shared_with(f.model().practice(), "Couple P").empty());
    f.show_as("Dr Two");
    CHECK(services::list_cases(f.model().practice()).empty());
}
