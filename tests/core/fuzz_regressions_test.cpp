// Inputs the fuzzers in fuzz/ found (docs/fuzzing.md), fed to the core parsers.
#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include "core/json_limits.h"
#include "core/scheme_json.h"

using namespace attune;
using Catch::Matchers::ContainsSubstring;

TEST_CASE("a scheme with a number too large for a double is a SchemeFormatError", "[scheme][fuzz]") {
    // The same nlohmann out_of_range (number overflow) that fuzz_boris and
    // fuzz_settings found; fuzz/corpus/scheme/number_overflow.json.
    const std::string text =
        R"({"format": "attune-coding-scheme", "format_version": 1, "name": "x", "version": 1e400})";
    try {
        parse_scheme_json(text);
        FAIL("the text was accepted");
    } catch (const SchemeFormatError& e) {
        CHECK_THAT(e.what(), ContainsSubstring("not valid JSON"));
        CHECK_THAT(e.what(), ContainsSubstring("1e400"));
    }
}

TEST_CASE("a scheme nested 300,000 levels deep or over 1 MB is refused before it is parsed", "[scheme][fuzz][limits]") {
    // Issue 17 item 8: the BORIS reader crashed on 300,000 nested arrays; every JSON reader caps depth and size.
    const std::string deep = R"({"name": "x", "version": 1, "categories": )" + std::string(300000, '[') +
                             std::string(300000, ']') + "}";
    try {
        parse_scheme_json(deep);
        FAIL("the deep text was accepted");
    } catch (const SchemeFormatError& e) {
        CHECK(std::string(e.what()) == "the JSON is nested deeper than 16 levels; a coding scheme file is not");
    }
    std::string large = R"({"name": "x", "version": 1, "padding": ")" + std::string(kMaxSchemeFileBytes, ' ') + "\"}";
    try {
        parse_scheme_json(large);
        FAIL("the large text was accepted");
    } catch (const SchemeFormatError& e) {
        CHECK(std::string(e.what()) == "the file is larger than 1024 KB; a coding scheme file is not");
    }
    // Brackets inside strings are text, not nesting.
    CHECK(json_nesting_depth(R"({"a": "[[[[[[[[[[[[[[[[[[[[", "b": [1]})", 16) == 2);
}
