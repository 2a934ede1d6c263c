#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>
#include <string>
#include <vector>

#include "formats/settings_file.h"
#include "support/test_support.h"

using namespace attune;
using Catch::Matchers::ContainsSubstring;

namespace {

formats::Settings non_default_settings() {
    formats::Settings s;
    s.theme = formats::Theme::HighContrast;
    s.font_size = 21.5f;
    s.auto_lock_minutes = 0;
    s.backup_folder = "/srv/backups/Praxis Müller";
    s.backup_count = 30;
    s.lock_during_session = true;
    s.walkthrough_done = true;
    s.five_to_one_reference = true;
    s.hotkeys = {{"validate", "q"}, {"shut_down", ""}};
    return s;
}

// The field a parse or validation failure names, or "" if it did not fail.
std::string rejected_field(const std::string& json) {
    try {
        formats::parse_settings(json);
    } catch (const formats::SettingsError& e) {
        return e.field();
    }
    return "";
}

}  // namespace

TEST_CASE("settings survive a serialize and parse round trip unchanged", "[settings]") {
    const formats::Settings original = non_default_settings();
    CHECK(formats::parse_settings(formats::serialize_settings(original)) == original);
    CHECK(formats::parse_settings(formats::serialize_settings(formats::Settings{})) == formats::Settings{});
}

TEST_CASE("settings saved to a file load back the same, without a warning", "[settings]") {
    test::TempDir dir;
    const auto file = dir / "config/attune/settings.json";  // parent folders are created
    formats::save_settings(non_default_settings(), file);
    const formats::LoadedSettings loaded = formats::load_settings(file);
    CHECK_FALSE(loaded.warning);
    CHECK(loaded.settings == non_default_settings());
    // Nothing else is left beside it (no temporary file).
    std::vector<std::string> names;
    for (const auto& entry : std::filesystem::directory_iterator(dir / "config/attune"))
        names.push_back(entry.path().filename().string());
    CHECK(names == std::vector<std::string>{"settings.json"});
}

TEST_CASE("the defaults are light, 16 px, auto-lock after 10 minutes and 14 backups", "[settings]") {
    const formats::Settings s = formats::parse_settings("{}");
    CHECK(s.theme == formats::Theme::Light);
    CHECK(s.font_size == 16.0f);
    CHECK(s.auto_lock_minutes == 10);
    CHECK(s.backup_count == 14);
    CHECK(s.backup_folder.empty());
}

TEST_CASE("a missing key keeps its default and an unknown key is ignored", "[settings]") {
    const formats::Settings s = formats::parse_settings(R"({"theme": "dark", "colour_of_the_sky": "blue"})");
    CHECK(s.theme == formats::Theme::Dark);
    CHECK(s.backup_count == 14);
}

TEST_CASE("invalid values are rejected with the field named", "[settings]") {
    CHECK(rejected_field(R"({"theme": "purple"})") == "theme");
    CHECK(rejected_field(R"({"theme": 3})") == "theme");
    CHECK(rejected_field(R"({"font_size": 9.5})") == "font_size");
    CHECK(rejected_field(R"({"font_size": 33})") == "font_size");
    CHECK(rejected_field(R"({"font_size": "big"})") == "font_size");
    CHECK(rejected_field(R"({"auto_lock_minutes": -1})") == "auto_lock_minutes");
    CHECK(rejected_field(R"({"auto_lock_minutes": 2.5})") == "auto_lock_minutes");
    CHECK(rejected_field(R"({"auto_lock_minutes": 99999999999})") == "auto_lock_minutes");
    CHECK(rejected_field(R"({"backup_count": 0})") == "backup_count");
    CHECK(rejected_field(R"({"backup_count": 366})") == "backup_count");
    CHECK(rejected_field(R"({"backup_folder": "relative/dir"})") == "backup_folder");
    CHECK(rejected_field(R"({"backup_folder": false})") == "backup_folder");
    CHECK(rejected_field(R"({"lock_during_session": "yes"})") == "lock_during_session");
    CHECK(rejected_field(R"({"walkthrough_done": 1})") == "walkthrough_done");
    CHECK(rejected_field(R"({"five_to_one_reference": "yes"})") == "five_to_one_reference");
    CHECK(rejected_field(R"({"hotkeys": ["q"]})") == "hotkeys");
    CHECK(rejected_field(R"({"hotkeys": {"validate": "Q"}})") == "hotkeys.validate");
    CHECK(rejected_field(R"({"hotkeys": {"validate": "qq"}})") == "hotkeys.validate");
    CHECK(rejected_field(R"({"hotkeys": {"validate": "1"}})") == "hotkeys.validate");
    CHECK(rejected_field(R"({"hotkeys": {"validate": 7}})") == "hotkeys.validate");
    CHECK(rejected_field(R"({"hotkeys": {"Not An Id": "q"}})") == "hotkeys");
    // The edges themselves are valid.
    CHECK(rejected_field(R"({"font_size": 10, "auto_lock_minutes": 0, "backup_count": 365})").empty());
    CHECK(rejected_field(R"({"hotkeys": {"validate": "", "reflect": "z"}})").empty());
}

TEST_CASE("the error message names the field and the rule", "[settings]") {
    formats::Settings s;
    s.backup_count = 0;
    REQUIRE_THROWS_AS(formats::validate_settings(s), formats::SettingsError);
    try {
        formats::validate_settings(s);
    } catch (const formats::SettingsError& e) {
        CHECK_THAT(e.what(), ContainsSubstring("backup_count") && ContainsSubstring("between 1 and 365"));
    }
}

TEST_CASE("saving invalid settings throws and leaves the file as it was", "[settings]") {
    test::TempDir dir;
    const auto file = dir / "settings.json";
    formats::save_settings(non_default_settings(), file);
    formats::Settings bad = non_default_settings();
    bad.font_size = 100;
    CHECK_THROWS_AS(formats::save_settings(bad, file), formats::SettingsError);
    CHECK(formats::load_settings(file).settings == non_default_settings());
}

TEST_CASE("a missing settings file gives the defaults without a warning", "[settings]") {
    test::TempDir dir;
    const formats::LoadedSettings loaded = formats::load_settings(dir / "nothing-here.json");
    CHECK(loaded.settings == formats::Settings{});
    CHECK_FALSE(loaded.warning);
}

TEST_CASE("a corrupt settings file gives the defaults and a warning naming the file", "[settings]") {
    test::TempDir dir;
    const auto file = dir / "settings.json";
    for (const char* damaged : {"{\"theme\": \"dark\", \"font_si", "", "[1, 2, 3]", "\x89PNG\r\n\x1a\n\x00\x01",
                                R"({"theme": "dark", "backup_count": -4})"}) {
        test::write_file(file, damaged);
        const formats::LoadedSettings loaded = formats::load_settings(file);
        CHECK(loaded.settings == formats::Settings{});
        REQUIRE(loaded.warning);
        CHECK_THAT(*loaded.warning, ContainsSubstring(file.string()) && ContainsSubstring("default"));
    }
}

TEST_CASE("theme names convert both ways", "[settings]") {
    for (formats::Theme t : {formats::Theme::Light, formats::Theme::Dark, formats::Theme::HighContrast})
        CHECK(formats::theme_from_name(formats::theme_name(t)) == t);
    CHECK_FALSE(formats::theme_from_name("High-Contrast"));
}

TEST_CASE("Gottman's 5 : 1 reference line is off unless the person turns it on", "[settings]") {
    CHECK_FALSE(formats::Settings{}.five_to_one_reference);
    CHECK_FALSE(formats::parse_settings("{}").five_to_one_reference);  // a settings file from before it existed
    CHECK(formats::parse_settings(R"({"five_to_one_reference": true})").five_to_one_reference);
}
