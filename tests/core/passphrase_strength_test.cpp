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

TEST_CASE("a keyboard row with digits is very weak", "[passphrase_strength]") {
    const PassphraseStrength s = estimate_passphrase_strength("qwertyuiop123456");
    CHECK(s.level == PassphraseLevel::VeryWeak);
    CHECK(s.bits < kWeakBits);
}

TEST_CASE("four common words are strong, five unrelated ones very strong", "[passphrase_strength]") {
    const PassphraseStrength four = estimate_passphrase_strength("correct horse battery staple");
    CHECK(four.level == PassphraseLevel::Strong);
    CHECK_THAT(four.bits, WithinAbs(70.3, 0.1));
    CHECK(four.text() == "Strength: strong (about 2^70 guesses)");  // no advice from Strong on
    const PassphraseStrength five = estimate_passphrase_strength("maple river quietly sixteen lantern");
    CHECK(five.level == PassphraseLevel::VeryStrong);
    CHECK_THAT(five.bits, WithinAbs(89.3, 0.1));
}

TEST_CASE("twenty random characters are very strong", "[passphrase_strength]") {
    const PassphraseStrength s = estimate_passphrase_strength("kX9#mQ2vL7pZ4wRt8nB1");
    CHECK(s.level == PassphraseLevel::VeryStrong);
    CHECK_THAT(s.bits, WithinAbs(127.3, 0.1));
}

TEST_CASE("a leetspeak word with symbols is only fair", "[passphrase_strength]") {
    const PassphraseStrength s = estimate_passphrase_strength("Tr0ub4dor&3xyz!");
    CHECK(s.level == PassphraseLevel::Fair);
    CHECK_THAT(s.bits, WithinAbs(58.5, 0.1));
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
