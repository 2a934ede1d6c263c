// Inputs the fuzzers in fuzz/ found (docs/fuzzing.md), fed to the core parsers.
#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

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
