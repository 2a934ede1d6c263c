// The live session's keys read back from a quote they were typed into by mistake.
#include "core/live_keys.h"

#include <catch2/catch_test_macros.hpp>

using namespace attune;

namespace {

// Three codes: a partner's on 's' and 'r', the therapist's on 'r'.
CodingScheme tiny_scheme() {
    CodingScheme scheme;
    scheme.categories = {{"withdrawal", "Withdrawal", Polarity::Rupture, CycleRole::Withdraw},
                         {"repair", "Repair", Polarity::Repair, CycleRole::None},
                         {"therapist", "Therapist", Polarity::Intervention, CycleRole::None}};
    Code shut_down;
    shut_down.id = "shut_down";
    shut_down.label = "Shuts down";
    shut_down.category = "withdrawal";
    shut_down.polarity = Polarity::Rupture;
    shut_down.hotkey = "s";
    Code reflect = shut_down;
    reflect.id = "reflect";
    reflect.label = "Reflective listening";
    reflect.category = "repair";
    reflect.polarity = Polarity::Repair;
    reflect.hotkey = "r";
    Code t_reflect = reflect;
    t_reflect.id = "t_reflect";
    t_reflect.category = "therapist";
    t_reflect.polarity = Polarity::Intervention;
    scheme.codes = {shut_down, reflect, t_reflect};
    return scheme;
}

}  // namespace

TEST_CASE("digit-then-letter keys at the end of a quote read as the codes they would have logged", "[live-keys]") {
    const CodingScheme scheme = tiny_scheme();
    const auto run = code_keys_at_end("you never listen 2s4r", scheme);
    REQUIRE(run);
    CHECK(run->start == 17);
    CHECK(run->keys == "2s4r");
    REQUIRE(run->codes.size() == 2);
    CHECK(run->codes[0].who == Who::B);
    CHECK(run->codes[0].code->id == "shut_down");
    CHECK(run->codes[0].at == 18);
    CHECK(run->codes[1].who == Who::Therapist);
    CHECK(run->codes[1].code->id == "t_reflect");
}

TEST_CASE("keys spaced out, or right after a word, are found too", "[live-keys]") {
    const CodingScheme scheme = tiny_scheme();
    const auto spaced = code_keys_at_end("2 s 1 r", scheme);
    REQUIRE(spaced);
    CHECK(spaced->start == 0);
    CHECK(spaced->keys == "2s1r");
    REQUIRE(spaced->codes.size() == 2);
    CHECK(spaced->codes[1].code->id == "reflect");
    const auto glued = code_keys_at_end("listen3s", scheme);
    REQUIRE(glued);
    CHECK(glued->start == 6);
    CHECK(glued->codes.at(0).who == Who::Both);
}

TEST_CASE("a quote whose end is words, a number or a letter without a code offers nothing", "[live-keys]") {
    const CodingScheme scheme = tiny_scheme();
    CHECK_FALSE(code_keys_at_end("we fought 2 times", scheme));  // 't' is no code
    CHECK_FALSE(code_keys_at_end("room 101", scheme));           // digits only, and 0 chooses no one
    CHECK_FALSE(code_keys_at_end("4s", scheme));                 // the therapist has no 's'
    CHECK_FALSE(code_keys_at_end("yes", scheme));                // no digit: no one was chosen
    CHECK_FALSE(code_keys_at_end("", scheme));
}
