#include "core/scheme.h"

#include <catch2/catch_test_macros.hpp>

using namespace attune;

namespace {
CodingScheme tiny_scheme() {
    CodingScheme scheme;
    scheme.categories = {{"reactivity", "Shame-based reactivity", Polarity::Rupture, CycleRole::Pursue}};
    Code anger;
    anger.id = "defensive_anger";
    anger.label = "Defensive anger";
    anger.category = "reactivity";
    Code blame;
    blame.id = "blame_shift";
    blame.label = "Shifts blame";
    blame.category = "reactivity";
    scheme.codes = {anger, blame};
    return scheme;
}
}  // namespace

TEST_CASE("a code is found by its id or its label, case and outer spaces ignored") {
    const CodingScheme scheme = tiny_scheme();
    REQUIRE(scheme.find("defensive_anger") == &scheme.codes[0]);
    REQUIRE(scheme.find("  DEFENSIVE_ANGER ") == &scheme.codes[0]);
    REQUIRE(scheme.find("shifts BLAME") == &scheme.codes[1]);
    REQUIRE(scheme.find("\tShifts blame\n") == &scheme.codes[1]);
}

TEST_CASE("an unknown or empty code name matches nothing") {
    const CodingScheme scheme = tiny_scheme();
    REQUIRE(scheme.find("defensive") == nullptr);
    REQUIRE(scheme.find("") == nullptr);
    REQUIRE(scheme.find("   ") == nullptr);
    REQUIRE(scheme.find("shifts  blame") == nullptr);  // inner spaces are not folded
}

TEST_CASE("partner ids parse case-insensitively and round-trip") {
    REQUIRE(parse_who("a") == Who::A);
    REQUIRE(parse_who(" B ") == Who::B);
    REQUIRE(parse_who("Both") == Who::Both);
    REQUIRE(parse_who("THERAPIST") == Who::Therapist);
    REQUIRE_FALSE(parse_who("C").has_value());
    for (Who who : {Who::A, Who::B, Who::Both, Who::Therapist}) REQUIRE(parse_who(to_string(who)) == who);
    REQUIRE(other_partner(Who::A) == Who::B);
    REQUIRE(other_partner(Who::B) == Who::A);
    REQUIRE(other_partner(Who::Both) == Who::Both);
}
