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

TEST_CASE("the user's hotkeys replace the scheme's, and unknown code ids are ignored", "[hotkeys]") {
    CodingScheme scheme = tiny_scheme();
    scheme.codes[0].hotkey = "d";
    scheme.codes[1].hotkey = "b";
    const CodingScheme changed = with_hotkeys(scheme, {{"defensive_anger", "q"}, {"blame_shift", ""}, {"gone", "z"}});
    REQUIRE(changed.codes[0].hotkey == "q");
    REQUIRE(changed.codes[1].hotkey.empty());
    REQUIRE(scheme.codes[0].hotkey == "d");  // the original is untouched
}

TEST_CASE("a letter used twice among the partners' codes is a clash naming both codes", "[hotkeys]") {
    CodingScheme scheme = tiny_scheme();
    scheme.codes[0].hotkey = "d";
    scheme.codes[1].hotkey = "b";
    REQUIRE_FALSE(hotkey_clash(scheme).has_value());
    scheme.codes[1].hotkey = "d";
    const auto clash = hotkey_clash(scheme);
    REQUIRE(clash.has_value());
    REQUIRE(*clash == "the key 'd' is used by both \"Defensive anger\" and \"Shifts blame\"");
    // Codes without a key never clash.
    scheme.codes[0].hotkey.clear();
    scheme.codes[1].hotkey.clear();
    REQUIRE_FALSE(hotkey_clash(scheme).has_value());
}

TEST_CASE("a therapist move may share a letter with a partner code, not with another therapist move", "[hotkeys]") {
    CodingScheme scheme = tiny_scheme();
    scheme.categories.push_back({"therapist", "Therapist moves", Polarity::Intervention, CycleRole::None});
    Code reflect;
    reflect.id = "t_reflect";
    reflect.label = "Therapist reflects emotion";
    reflect.category = "therapist";
    reflect.polarity = Polarity::Intervention;
    reflect.hotkey = "d";
    scheme.codes[0].hotkey = "d";
    scheme.codes.push_back(reflect);
    REQUIRE(is_therapist_code(scheme.codes[2]));
    REQUIRE_FALSE(is_therapist_code(scheme.codes[0]));
    REQUIRE_FALSE(hotkey_clash(scheme).has_value());
    Code validate = reflect;
    validate.id = "t_validate";
    validate.label = "Therapist validates";
    scheme.codes.push_back(validate);
    REQUIRE(hotkey_clash(scheme) ==
            std::optional<std::string>("the key 'd' is used by both \"Therapist reflects emotion\" and \"Therapist validates\""));
}
