// Inputs the fuzzers in fuzz/ found (docs/fuzzing.md), each fed to the parser
// that crashed on it. Each must now be refused with the parser's own error,
// naming the file and the line or field.
#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include "formats/boris.h"
#include "formats/settings_file.h"
#include "formats/text_file.h"
#include "support/test_support.h"

using namespace attune;
using Catch::Matchers::ContainsSubstring;

TEST_CASE("a BORIS project with a number too large for a double is refused naming its line", "[boris][fuzz]") {
    test::TempDir dir;
    const auto file = dir / "overflow.boris";
    // Found by fuzz_boris: nlohmann's out_of_range (number overflow) escaped the parser.
    test::write_file(file,
                     "{\"observations\": {\n  \"o1\": {\"date\": \"2026-01-05\",\n"
                     "    \"events\": [[1e400, \"Ana\", \"s\", \"\", \"\"]]}}}\n");
    try {
        formats::parse_boris_file(file);
        FAIL("the file was accepted");
    } catch (const formats::BorisImportError& e) {
        CHECK_THAT(e.what(), ContainsSubstring("overflow.boris: line 3: not valid JSON"));
        CHECK_THAT(e.what(), ContainsSubstring("1e400"));
        CHECK_THAT(e.what(), ContainsSubstring("nothing was imported"));
    }
}

TEST_CASE("settings with a number too large for a double are refused as damaged settings", "[settings][fuzz]") {
    // Found by fuzz_settings (fuzz/corpus/settings/crash-number-overflow-2e308.json).
    try {
        formats::parse_settings(R"({"theme": "high-contrast", "font_size": 2e308})");
        FAIL("the text was accepted");
    } catch (const formats::SettingsError& e) {
        CHECK(e.field() == "settings");
        CHECK_THAT(e.what(), ContainsSubstring("2e308"));
    }
}

TEST_CASE("a settings file with an overflowing number loads as the defaults with a warning", "[settings][fuzz]") {
    test::TempDir dir;
    const auto file = dir / "settings.json";
    test::write_file(file, R"({"theme": "dark", "backup_count": 1e999})");
    const formats::LoadedSettings loaded = formats::load_settings(file);
    CHECK(loaded.settings == formats::Settings{});
    REQUIRE(loaded.warning.has_value());
    CHECK_THAT(*loaded.warning, ContainsSubstring("settings.json"));
}

TEST_CASE("a settings file nested deeply or over 64 KB is refused before it is parsed", "[settings][fuzz][limits]") {
    // 30,000 levels: under the size limit, so the depth is what is refused.
    const std::string deep = R"({"theme": )" + std::string(30000, '[') + std::string(30000, ']') + "}";
    try {
        formats::parse_settings(deep);
        FAIL("the deep text was accepted");
    } catch (const formats::SettingsError& e) {
        CHECK(std::string(e.what()) == "settings: the JSON is nested deeper than 8 levels; a settings file is not");
    }
    // Read from a file, the size is checked before the file is read whole: a warning, the defaults.
    test::TempDir dir;
    test::write_file(dir / "settings.json", R"({"theme": "dark", "padding": ")" + std::string(70000, ' ') + "\"}");
    const formats::LoadedSettings loaded = formats::load_settings(dir / "settings.json");
    REQUIRE(loaded.warning.has_value());
    CHECK(*loaded.warning == (dir / "settings.json").string() + " is larger than 64 KB; using the default settings");
    CHECK(loaded.settings == formats::Settings{});
}

TEST_CASE("a small text file is read whole; a larger one is refused after its limit", "[fuzz][limits]") {
    test::TempDir dir;
    test::write_file(dir / "small.json", "{\"a\": 1}");
    CHECK(formats::read_small_text_file(dir / "small.json", 8) == "{\"a\": 1}");
    try {
        formats::read_small_text_file(dir / "small.json", 7);
        FAIL("a file over its limit was read");
    } catch (const formats::TextFileError& e) {
        CHECK(std::string(e.what()) == (dir / "small.json").string() + " is larger than 7 bytes");
    }
    // A device that never ends is refused too, after the limit.
    CHECK_THROWS_AS(formats::read_small_text_file("/dev/zero", 65536), formats::TextFileError);
    CHECK_THROWS_AS(formats::read_small_text_file(dir / "missing.json", 100), formats::TextFileError);
}
