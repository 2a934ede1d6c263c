// Every dialog and tool window of the shell and the caseload, used with the
// keyboard only: it opens (by its shortcut, or the menu through Alt and the
// arrows), Tab moves into its fields, Enter does its main action and Escape
// closes it with nothing changed. The session's own dialogs are in
// keyboard_session_test.cpp.
#include <catch2/catch_test_macros.hpp>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "headless.h"
#include "services/people.h"
#include "services/settings.h"
#include "support/practice_fixture.h"
#include "support/test_support.h"
#include "ui/keys.h"

using namespace attune;
namespace keys = attune::ui::keys;

namespace {

struct KeyboardFixture {
    test::TempDir dir;
    // Settings are saved under $XDG_CONFIG_HOME: this test's own folder.
    test::ScopedEnv config{"XDG_CONFIG_HOME", (dir / "config").string()};
    test::Headless ui;

    explicit KeyboardFixture(int demo_cases = 0) {
        auto practice = test::new_practice(dir / "practice.db", "keyboard passphrase", "Dr Keys");
        if (demo_cases > 0) test::add_demo(*practice, demo_cases, 2, 10);
        model().set_practice(std::move(practice));
        ui.settle(30);
    }
    ui::AppModel& model() { return ui.shell().model(); }

    void press(int key, bool ctrl = false, bool shift = false) {
        ui.press_key(key, ctrl, shift);
        ui.run_frames(1);
    }
    void type(const char* text) {
        ui.type_text(text);
        ui.run_frames(1);
    }
    // Alt alone takes the keyboard to the menu bar; Right moves to the `menu_index`th
    // menu, Space opens it, Down moves `item_index` items down, Space chooses.
    void menu(int menu_index, int item_index) {
        ui.press_key(keys::kLeftAlt, false, false, true);
        ui.run_frames(1);
        for (int i = 0; i < menu_index; ++i)
            press(keys::kRight);
        press(keys::kSpace);
        for (int i = 0; i < item_index; ++i)
            press(keys::kDown);
        press(keys::kSpace);
        ui.run_frames(2);
    }
    // In the caseload: Tab into the filter, Enter leaves it with the keyboard
    // cursor there, Right moves `rights` buttons on (New case, Export bundle...,
    // Import bundle...), Space presses it.
    void caseload_button(int rights) {
        press(keys::kTab);
        press(keys::kEnter);
        for (int i = 0; i < rights; ++i)
            press(keys::kRight);
        press(keys::kSpace);
        ui.run_frames(2);
    }
    std::vector<std::string> case_labels() {
        std::vector<std::string> out;
        for (const CaseSummary& c : services::list_cases(model().practice()))
            out.push_back(c.info.label);
        return out;
    }
};

}  // namespace

// [SECTION] F1 help

TEST_CASE("F1 opens the help; Enter closes it, and so does Escape", "[ui][keyboard]") {
    KeyboardFixture f;
    REQUIRE_FALSE(f.ui.popup_open("Help"));
    f.press(keys::kF1);
    REQUIRE(f.ui.popup_open("Help"));
    f.press(keys::kEnter);
    CHECK_FALSE(f.ui.popup_open("Help"));

    f.press(keys::kF1);
    REQUIRE(f.ui.popup_open("Help"));
    f.press(keys::kEscape);
    CHECK_FALSE(f.ui.popup_open("Help"));
}

// [SECTION] Settings

TEST_CASE("Settings opens from the menu by keyboard; Tab, a font size and Enter save it", "[ui][keyboard]") {
    KeyboardFixture f;
    const float before = f.ui.shell().settings().current().font_size;
    f.menu(0, 2);  // Practice > Settings... (Caseload, Lock, Settings...)
    REQUIRE(f.ui.popup_open("Settings"));
    f.press(keys::kTab);  // the first field: the font size
    f.type("19");
    f.press(keys::kEnter);
    CHECK_FALSE(f.ui.popup_open("Settings"));
    CHECK(f.ui.shell().settings().current().font_size == 19.0f);
    CHECK(before != 19.0f);
    REQUIRE(std::filesystem::exists(services::settings_path()));
    CHECK(services::load_user_settings().settings.font_size == 19.0f);
}

TEST_CASE("Escape leaves Settings with nothing saved, also from inside a field", "[ui][keyboard]") {
    KeyboardFixture f;
    const float before = f.ui.shell().settings().current().font_size;
    f.menu(0, 2);
    REQUIRE(f.ui.popup_open("Settings"));
    f.press(keys::kTab);
    f.type("22");
    f.press(keys::kEscape);
    CHECK_FALSE(f.ui.popup_open("Settings"));
    CHECK(f.ui.shell().settings().current().font_size == before);
    CHECK_FALSE(std::filesystem::exists(services::settings_path()));
}

// [SECTION] New case (caseload)

TEST_CASE("Ctrl+N, a label, Tab, the partners and Enter create the case", "[ui][keyboard]") {
    KeyboardFixture f;
    f.press(keys::letter('n'), true);
    REQUIRE(f.ui.popup_open("New case"));
    f.type("Couple K");  // the label has the keyboard as the popup opens
    f.press(keys::kTab);
    f.type("Kim");
    f.press(keys::kTab);
    f.type("Lee");
    f.press(keys::kEnter);
    CHECK_FALSE(f.ui.popup_open("New case"));
    const auto cases = services::list_cases(f.model().practice());
    REQUIRE(cases.size() == 1);
    CHECK(cases[0].info.label == "Couple K");
    CHECK(cases[0].info.partner_a.display_name == "Kim");
    CHECK(cases[0].info.partner_b.display_name == "Lee");
}

TEST_CASE("Escape closes the new-case popup and creates nothing", "[ui][keyboard]") {
    KeyboardFixture f;
    f.press(keys::letter('n'), true);
    REQUIRE(f.ui.popup_open("New case"));
    f.type("Not this one");
    f.press(keys::kEscape);
    CHECK_FALSE(f.ui.popup_open("New case"));
    CHECK(f.case_labels().empty());
}

// [SECTION] Tool windows: coding guide, audit trail

TEST_CASE("the coding guide opens from the Help menu by keyboard and Escape closes it", "[ui][keyboard]") {
    KeyboardFixture f;
    f.menu(1, 1);  // Help > Coding guide (Help for this view, Coding guide)
    REQUIRE(f.ui.shell().coding_guide().is_open());
    CHECK(f.ui.window_shown("Coding guide"));
    CHECK(f.ui.keyboard_in("Coding guide"));
    f.press(keys::kEscape);
    CHECK_FALSE(f.ui.shell().coding_guide().is_open());
    CHECK_FALSE(f.ui.window_shown("Coding guide"));
}

TEST_CASE("the audit trail opens from the Practice menu by keyboard and Escape closes it", "[ui][keyboard]") {
    KeyboardFixture f;
    f.menu(0, 3);  // Practice > Audit trail...
    REQUIRE(f.ui.shell().audit().is_open());
    CHECK(f.ui.keyboard_in("Audit trail"));
    f.press(keys::kEscape);
    CHECK_FALSE(f.ui.shell().audit().is_open());
}

// [SECTION] Walkthrough

TEST_CASE("the tour opens from the Help menu by keyboard; Enter goes on, Escape skips it", "[ui][keyboard]") {
    KeyboardFixture f(1);
    ui::Walkthrough& tour = f.ui.shell().walkthrough();
    f.menu(1, 2);  // Help > Getting started
    REQUIRE(tour.is_open());
    REQUIRE(tour.step() == 0);
    f.press(keys::kEnter);
    CHECK(tour.step() == 1);
    f.press(keys::kEnter);
    CHECK(tour.step() == 2);
    // The arrows move the keyboard cursor to "Back" (right of Next, which stays first); Enter presses it.
    f.press(keys::kRight);
    f.press(keys::kEnter);
    CHECK(tour.step() == 1);
    f.press(keys::kEscape);
    CHECK_FALSE(tour.is_open());
    CHECK_FALSE(f.ui.window_shown("Getting started"));
}

// [SECTION] Bundles (caseload)

TEST_CASE("a bundle is exported and imported with the keyboard only", "[ui][keyboard]") {
    KeyboardFixture f(1);
    const std::string label = f.case_labels().at(0);
    const auto bundle = f.dir / "keys.attune-bundle";
    f.caseload_button(2);  // Export bundle...
    REQUIRE(f.ui.popup_open("Export bundle"));
    f.type(bundle.c_str());  // the file field has the keyboard as the dialog opens
    f.press(keys::kTab);
    f.type("bundle secret 1");
    f.press(keys::kTab);
    f.type("bundle secret 1");
    f.press(keys::kEnter);
    INFO("on screen:\n" << test::screen_text(f.ui));  // what the dialog said when no file came
    REQUIRE(std::filesystem::exists(bundle));
    CHECK(f.ui.popup_open("Export bundle"));  // it stays open to show what was written
    f.press(keys::kEscape);
    CHECK_FALSE(f.ui.popup_open("Export bundle"));

    // Into an empty practice: the case arrives.
    f.model().set_practice(test::new_practice(f.dir / "other.db", "other passphrase", "Dr Other"));
    f.ui.settle(30);
    REQUIRE(f.case_labels().empty());
    f.caseload_button(3);  // Import bundle...
    REQUIRE(f.ui.popup_open("Import bundle"));
    f.type(bundle.c_str());
    f.press(keys::kTab);
    f.type("bundle secret 1");
    f.press(keys::kEnter);  // the preview: nothing is written yet
    CHECK(f.case_labels().empty());
    f.press(keys::kEnter);  // Confirm import
    CHECK(f.case_labels() == std::vector<std::string>{label});
    f.press(keys::kEscape);
    CHECK_FALSE(f.ui.popup_open("Import bundle"));
}

TEST_CASE("Escape leaves the bundle dialogs with no file written and nothing imported", "[ui][keyboard]") {
    KeyboardFixture f(1);
    const auto bundle = f.dir / "never.attune-bundle";
    f.caseload_button(2);
    REQUIRE(f.ui.popup_open("Export bundle"));
    f.type(bundle.c_str());
    f.press(keys::kTab);
    f.type("bundle secret 1");
    f.press(keys::kEscape);
    CHECK_FALSE(f.ui.popup_open("Export bundle"));
    f.ui.run_frames(2);
    CHECK_FALSE(std::filesystem::exists(bundle));

    f.caseload_button(3);
    REQUIRE(f.ui.popup_open("Import bundle"));
    f.type(bundle.c_str());
    f.press(keys::kEscape);
    CHECK_FALSE(f.ui.popup_open("Import bundle"));
    CHECK(f.case_labels().size() == 1);
}

// [SECTION] Unlock: who you are and your passphrase

TEST_CASE("the unlock view is used by keyboard: the passphrase field has it at once, Enter signs in",
          "[ui][keyboard]") {
    test::TempDir dir;
    test::new_practice(dir / "practice.db", "keyboard passphrase", "Dr Lee");
    test::Headless ui;
    ui.shell().model().set_key_limits_for_tests(test::kTestKdf, test::kTestKdf);
    ui.shell().model().database_path = (dir / "practice.db").string();
    ui.run_frames(2);
    ui.type_text("keyboard passphrase");  // the only person is chosen; the passphrase field has the keyboard
    ui.press_key(keys::kEnter);
    ui.run_frames(2);
    REQUIRE(ui.shell().model().is_open());
    CHECK(ui.shell().model().practice().person().name == "Dr Lee");
}

TEST_CASE("the unlock view is used by keyboard: up to who you are, Space, down to your name, Space, passphrase, Enter",
          "[ui][keyboard]") {
    test::TempDir dir;
    {
        auto practice = test::new_practice(dir / "practice.db", "keyboard passphrase", "Dr Lee");
        test::add_person(*practice, "Dr Super", GrantRole::Supervisor, "super's passphrase");
    }
    test::Headless ui;
    ui.shell().model().set_key_limits_for_tests(test::kTestKdf, test::kTestKdf);
    ui.shell().model().database_path = (dir / "practice.db").string();
    ui.run_frames(2);
    // Nobody is chosen among two: the passphrase field has the keyboard; Escape
    // leaves it, Up reaches the names, Space opens them.
    ui.press_key(keys::kEscape);
    ui.press_key(keys::kUp);
    ui.press_key(keys::kSpace);
    ui.run_frames(1);
    REQUIRE(ui.popup_open("##Combo_00"));
    ui.press_key(keys::kDown);
    ui.press_key(keys::kSpace);
    ui.run_frames(1);
    REQUIRE_FALSE(ui.popup_open("##Combo_00"));
    ui.press_key(keys::kDown);
    ui.press_key(keys::kEnter);  // into the passphrase field
    ui.type_text("super's passphrase");
    ui.press_key(keys::kEnter);
    ui.run_frames(2);
    REQUIRE(ui.shell().model().is_open());
    CHECK(ui.shell().model().practice().person().name == "Dr Super");
}
