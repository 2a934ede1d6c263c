// The strength estimate the unlock screen and the command line show
// (core/passphrase_strength.h, zxcvbn). Expectations are zxcvbn-c 2.5's
// entropies for hand-picked passphrases, read off its own test program.
#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_floating_point.hpp>

#include "core/passphrase_strength.h"

using namespace attune;
using Catch::Matchers::WithinAbs;

TEST_CASE("a common word with digits appended is very weak however long", "[passphrase_strength]") {
    // 14 characters: the length rule accepts it, zxcvbn sees a top password and a sequence.
    const PassphraseStrength s = estimate_passphrase_strength("password123456");
    CHECK(s.level == PassphraseLevel::VeryWeak);
    CHECK_THAT(s.bits, WithinAbs(2.0, 0.1));
    CHECK(s.text() ==
          "Strength: very weak (about 2^2 guesses): add a few unrelated words; names, dates and keyboard rows "
          "count little");
}

TEST_CASE("each passphrase gets zxcvbn's entropy and the level it falls in", "[passphrase_strength]") {
    struct Expected {
        const char* passphrase;
        PassphraseLevel level;
        double bits;
    };
    const Expected table[] = {
        {"qwertyuiop123456", PassphraseLevel::VeryWeak, 12.6},                  // a keyboard row, then a sequence
        {"Tr0ub4dor&3xyz!", PassphraseLevel::Fair, 58.5},                       // a leetspeak word with symbols
        {"correct horse battery staple", PassphraseLevel::Strong, 70.3},        // four common words
        {"maple river quietly sixteen lantern", PassphraseLevel::VeryStrong, 89.3},  // five unrelated ones
        {"kX9#mQ2vL7pZ4wRt8nB1", PassphraseLevel::VeryStrong, 127.3},           // twenty random characters
    };
    for (const Expected& e : table) {
        INFO(e.passphrase);
        const PassphraseStrength s = estimate_passphrase_strength(e.passphrase);
        CHECK(s.level == e.level);
        CHECK_THAT(s.bits, WithinAbs(e.bits, 0.1));
    }
    CHECK(estimate_passphrase_strength("correct horse battery staple").text() ==
          "Strength: strong (about 2^70 guesses)");  // no advice from Strong on
}

TEST_CASE("nothing typed is very weak with no guesses", "[passphrase_strength]") {
    const PassphraseStrength s = estimate_passphrase_strength("");
    CHECK(s.level == PassphraseLevel::VeryWeak);
    CHECK(s.bits == 0);
}

TEST_CASE("the levels are named in plain words", "[passphrase_strength]") {
    CHECK(std::string(to_string(PassphraseLevel::Weak)) == "weak");
    CHECK(std::string(to_string(PassphraseLevel::VeryStrong)) == "very strong");
}
