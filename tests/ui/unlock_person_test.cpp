// Signing in (issue 16): the unlock screen asks who you are and your own
// passphrase, checked against your key slot; the menu bar then names who is
// signed in. A new practice is made here too, and its recovery key is shown
// on a screen of its own before anything else.
//
// The practices are made by tests/support/practice_fixture.h with test-only
// Argon2id limits; the unlock screen is given the same limits through
// AppModel::set_key_limits_for_tests (it writes and accepts MODERATE ones
// otherwise).
#include <catch2/catch_test_macros.hpp>
#include <chrono>
#include <regex>
#include <thread>

#include "headless.h"
#include "services/audit.h"
#include "services/people.h"
#include "support/practice_fixture.h"
#include "support/test_support.h"
#include "ui/keys.h"
#include "ui/theme.h"

using namespace attune;

namespace {

const char* kLeePassphrase = "correct horse";
const char* kSuperPassphrase = "super's own passphrase";

// Dr Lee (administrator and clinician) and Dr Super (supervisor), each with their own passphrase.
std::filesystem::path make_practice(const test::TempDir& dir) {
    const auto path = dir / "practice.attune-db";
    auto practice = test::new_practice(path, kLeePassphrase, "Dr Lee");
    test::add_person(*practice, "Dr Super", GrantRole::Supervisor, kSuperPassphrase);
    return path;
}

struct UnlockFixture {
    test::Headless ui;
    explicit UnlockFixture(const std::filesystem::path& path) {
        model().set_key_limits_for_tests(test::kTestKdf, test::kTestKdf);
        model().database_path = path.string();
        ui.run_frames(2);
    }
    ui::AppModel& model() { return ui.shell().model(); }
    void click(const std::string& window, const std::vector<test::Headless::IdPart>& id) {
        const auto at = ui.find_item(window, id);
        INFO("clicking " << (id.back().number ? std::to_string(*id.back().number) : id.back().text));
        REQUIRE(at.has_value());
        ui.click(*at);
        ui.run_frames(1);
    }
    void choose(const std::string& name) {
        click("/##view_", {"##who"});
        REQUIRE(ui.popup_open("##Combo_00"));
        click("##Combo_00", {name});
    }
    // Types into a field of the unlock screen (clicked first: it takes the keyboard).
    void type_into(const char* field, const std::string& text) {
        click("/##view_", {field});
        ui.type_text(text.c_str());
    }
    void sign_in_with(const std::string& passphrase) {
        type_into("##passphrase", passphrase);
        ui.press_key(ui::keys::kEnter);
        ui.run_frames(2);
    }
    ImU32 error_color() const {
        return ImGui::ColorConvertFloat4ToU32(ui::readable_on_background(palette::vermillion));
    }
};

}  // namespace

TEST_CASE("the unlock screen refuses another person's passphrase under your name, and opens with your own",
          "[ui][unlock]") {
    test::TempDir dir;
    UnlockFixture f(make_practice(dir));
    f.choose("Dr Super");

    f.sign_in_with(kLeePassphrase);  // a real passphrase, but Dr Lee's
    REQUIRE_FALSE(f.model().is_open());
    const auto refused = f.ui.find_text("the passphrase for Dr Super is not right");
    REQUIRE(refused.has_value());
    CHECK(refused->color == f.error_color());
    CHECK_FALSE(f.ui.find_text("Signed in").has_value());

    f.sign_in_with(kSuperPassphrase);
    REQUIRE(f.model().is_open());
    CHECK(f.model().practice().person().name == "Dr Super");
    CHECK(f.model().practice().holds(GrantRole::Supervisor));
    CHECK_FALSE(f.model().practice().holds(GrantRole::Administrator));
    // The menu bar names who is signed in, with their roles, whole.
    const auto header = f.ui.find_text("Signed in: Dr Super (supervisor)");
    REQUIRE(header.has_value());
    CHECK_FALSE(header->clipped);
    CHECK_FALSE(f.ui.find_text("the passphrase for Dr Super is not right").has_value());
}

TEST_CASE("the unlock screen offers only the people who have a key slot, and the header follows who signed in",
          "[ui][unlock]") {
    test::TempDir dir;
    UnlockFixture f(make_practice(dir));
    f.click("/##view_", {"##who"});
    REQUIRE(f.ui.popup_open("##Combo_00"));
    CHECK(f.ui.find_item("##Combo_00", {"Dr Lee"}).has_value());
    CHECK(f.ui.find_item("##Combo_00", {"Dr Super"}).has_value());
    CHECK_FALSE(f.ui.find_item("##Combo_00", {"Recovery key"}).has_value());
    f.click("##Combo_00", {"Dr Lee"});

    f.sign_in_with(kLeePassphrase);
    REQUIRE(f.model().is_open());
    CHECK(f.ui.find_text("Signed in: Dr Lee (clinician, administrator)").has_value());
    // What Dr Lee writes is theirs in the audit trail.
    test::add_couple(f.model().practice(), "Couple U");
    const auto created = services::audit_entries(f.model().practice(), AuditFilter::of_action("create", 10, "case"));
    REQUIRE(created.size() == 1);
    CHECK(created[0].actor == "Dr Lee");

    // Locked and signed in again as the other person: the header changes with it.
    f.model().close_practice();
    f.ui.run_frames(2);
    CHECK_FALSE(f.ui.find_text("Signed in").has_value());
    f.choose("Dr Super");
    f.sign_in_with(kSuperPassphrase);
    REQUIRE(f.model().is_open());
    CHECK(f.ui.find_text("Signed in: Dr Super (supervisor)").has_value());
    CHECK_FALSE(f.ui.find_text("Dr Lee (clinician").has_value());
}

TEST_CASE("a new practice shows its recovery key alone until it is written down, and the key opens the practice",
          "[ui][unlock]") {
    test::TempDir dir;
    const auto path = dir / "new.attune-db";
    UnlockFixture f(path);
    REQUIRE(f.ui.find_text("There is no practice here yet").has_value());
    f.type_into("##admin_name", "Dr New");
    f.type_into("##new1", "a long new passphrase");
    f.type_into("##new2", "a long new passphrasE");
    f.click("/##view_", {"Create practice"});
    CHECK_FALSE(std::filesystem::exists(path));
    CHECK(f.ui.find_text("The two passphrases differ").has_value());

    f.type_into("##new1", "a long new passphrase");
    f.type_into("##new2", "a long new passphrase");
    f.click("/##view_", {"Create practice"});
    REQUIRE(std::filesystem::exists(path));
    REQUIRE_FALSE(f.model().is_open());  // the recovery key first

    // The recovery key, and nothing of the unlock form nor of the practice.
    REQUIRE(f.ui.find_text("The practice's recovery key").has_value());
    std::string recovery_key;
    const std::regex key_pattern("[0-9A-Za-z]{4}(-[0-9A-Za-z]{4})+");
    for (const auto& run : f.ui.shown_text()) {
        std::smatch match;
        if (std::regex_search(run.text, match, key_pattern)) {
            recovery_key = match.str();
            CHECK_FALSE(run.clipped);
        }
    }
    REQUIRE_FALSE(recovery_key.empty());
    CHECK_FALSE(f.ui.find_text("Practice file").has_value());
    CHECK_FALSE(f.ui.find_text("Signed in").has_value());

    // Continue does nothing until "I have written it down" is ticked; neither does Enter.
    f.click("/##view_", {"Continue"});
    f.ui.press_key(ui::keys::kEnter);
    f.ui.run_frames(2);
    REQUIRE_FALSE(f.model().is_open());
    REQUIRE(f.ui.find_text("The practice's recovery key").has_value());
    f.click("/##view_", {"I have written it down"});
    f.click("/##view_", {"Continue"});
    REQUIRE(f.model().is_open());
    CHECK(f.ui.find_text("Signed in: Dr New (clinician, administrator)").has_value());
    CHECK_FALSE(f.ui.find_text(recovery_key).has_value());  // shown once, then gone
    f.model().close_practice();

    // The key on the screen is the practice's recovery key.
    services::OpenRequest request;
    request.path = path;
    request.recovery_key = services::KeyMaterial(recovery_key);
    request.kdf = request.kdf_minimum = test::kTestKdf;
    auto recovered = services::OpenPractice::open(std::move(request));
    CHECK(recovered->is_recovery());
}

TEST_CASE("a forgotten passphrase is reset after signing in with the recovery key, and the person signs in anew",
          "[ui][unlock]") {
    test::TempDir dir;
    const auto path = dir / "practice.attune-db";
    std::string recovery_key;
    {
        auto practice = test::new_practice(path, kLeePassphrase, "Dr Lee");
        recovery_key = std::string(practice->take_recovery_key().view());
        test::add_person(*practice, "Dr Super", GrantRole::Supervisor, kSuperPassphrase);
    }
    REQUIRE_FALSE(recovery_key.empty());
    UnlockFixture f(path);
    f.click("/##view_", {"Forgot your passphrase?"});
    CHECK_FALSE(f.ui.find_item("/##view_", {"##who"}).has_value());  // a key, not a name

    f.type_into("##recovery_key", "ABCD-EFGH-IJKL-MNOP");
    f.ui.press_key(ui::keys::kEnter);
    f.ui.run_frames(2);
    REQUIRE_FALSE(f.model().is_open());
    CHECK_FALSE(f.ui.find_text("Signed in").has_value());

    f.type_into("##recovery_key", " " + recovery_key + " ");  // pasted with spaces around it
    f.ui.press_key(ui::keys::kEnter);
    f.ui.run_frames(2);
    REQUIRE(f.model().is_open());
    CHECK(f.model().practice().is_recovery());
    CHECK(f.ui.find_text("Signed in with the recovery key (resets passphrases only)").has_value());
    CHECK(f.ui.find_text("give a new passphrase in Practice > People").has_value());

    // Practice > People, Dr Super, a new passphrase.
    REQUIRE(f.ui.shell().show_view("people"));
    f.ui.run_frames(2);
    const char* dialog = "People of this practice";
    CHECK_FALSE(f.ui.find_item(dialog, {"add", "Add person"}).has_value());  // an administrator's
    f.click(dialog, {"##people", "Dr Super"});
    CHECK_FALSE(f.ui.find_item(dialog, {"selected", "supervisor"}).has_value());  // roles too
    for (const char* field : {"##reset", "##reset_again"}) {
        f.click(dialog, {"selected", field});
        f.ui.type_text("super's new passphrase");
    }
    f.click(dialog, {"selected", "Reset passphrase"});
    INFO(f.ui.shell().people().problem());
    REQUIRE(f.ui.shell().people().problem().empty());

    // Locked: the old passphrase no longer opens, the new one does, and Dr Super keeps their role.
    f.model().close_practice();
    f.ui.run_frames(2);
    f.choose("Dr Super");
    f.sign_in_with(kSuperPassphrase);
    REQUIRE_FALSE(f.model().is_open());
    f.choose("Dr Super");
    f.sign_in_with("super's new passphrase");
    REQUIRE(f.model().is_open());
    CHECK(f.ui.find_text("Signed in: Dr Super (supervisor)").has_value());
}

TEST_CASE("signing in to a practice others could read says so once the window opens, and that it is yours alone now",
          "[ui][unlock]") {
    test::TempDir dir;
    const auto path = make_practice(dir);
    std::filesystem::permissions(path, std::filesystem::perms::group_read | std::filesystem::perms::others_read,
                                 std::filesystem::perm_options::add);
    UnlockFixture f(path);
    f.choose("Dr Lee");
    f.sign_in_with(kLeePassphrase);
    REQUIRE(f.model().is_open());
    const auto notice = f.ui.find_text("Others could read");
    INFO(test::screen_text(f.ui));
    REQUIRE(notice.has_value());
    CHECK_FALSE(notice->clipped);
    // Wrapped on as many lines as it takes, whole.
    const auto end = f.ui.find_text("only you can.");  // where the wrap falls depends on the files listed
    REQUIRE(end.has_value());
    CHECK_FALSE(end->clipped);
    const auto others = std::filesystem::perms::group_all | std::filesystem::perms::others_all;
    CHECK((std::filesystem::status(path).permissions() & others) == std::filesystem::perms::none);
}

TEST_CASE("joining a practice server from the window: missing fields and an unreachable server are one plain line, "
          "and no file is made",
          "[ui][unlock][join]") {
    test::TempDir dir;
    const auto path = dir / "kim.attune-db";
    UnlockFixture f(path);
    f.click("/##view_", {"Join your practice's server instead"});
    REQUIRE(f.ui.find_text("Join your group practice").has_value());
    f.click("/##view_", {"Join"});
    CHECK(f.ui.find_text("Enter the practice server's address, your name and your passphrase.").has_value());

    // A socket folder where no server listens: refused at once, on the join's own thread.
    f.type_into("##server_url", "postgresql://kim_park@/practice?host=" + dir.path().string() + "&port=5432");
    f.type_into("##join_name", "Kim Park");
    f.type_into("##join_passphrase", "kim's own passphrase");
    f.click("/##view_", {"Join"});
    bool answered = false;
    for (int i = 0; i < 200 && !answered; ++i) {
        f.ui.run_frames(1);
        answered = f.ui.find_text("cannot connect to the practice server").has_value();
        if (!answered) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    CHECK(answered);
    CHECK_FALSE(f.model().is_open());
    CHECK_FALSE(std::filesystem::exists(path));
    CHECK(f.ui.find_item("/##view_", {"##server_url"}).has_value());  // the form stays, to try again

    f.click("/##view_", {"Make a new practice instead"});
    CHECK(f.ui.find_text("There is no practice here yet").has_value());
}
