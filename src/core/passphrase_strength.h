// passphrase_strength.h: how hard a passphrase is to guess, estimated by
// zxcvbn (Debian's libzxcvbn-dev, the C port): dictionary words, names,
// keyboard walks, dates, repeats and sequences count for little, as they do
// for an attacker. The unlock screen, Practice > People and the command line
// (init, passphrase change, person add/reset) show the same estimate.
//
// An estimate to help choose, not a rule: the one rule for new passphrases is
// core/passphrase_policy.h (12 characters at least).
#pragma once

#include <string>
#include <string_view>

namespace attune {

enum class PassphraseLevel { VeryWeak, Weak, Fair, Strong, VeryStrong };

struct PassphraseStrength {
    PassphraseLevel level = PassphraseLevel::VeryWeak;
    double bits = 0;  // zxcvbn's entropy: about 2^bits guesses to find it
    // "Strength: weak (about 2^31 guesses): ..." in one line, with advice below Strong.
    std::string text() const;
};

// Lower bounds of each level, in bits. An attacker holding the practice's
// files pays an Argon2id derivation per guess (about a second and 256 MiB on
// a laptop): 2^45 guesses take a thousand such machines about a thousand years.
inline constexpr double kWeakBits = 30;
inline constexpr double kFairBits = 45;
inline constexpr double kStrongBits = 60;
inline constexpr double kVeryStrongBits = 80;

// The estimate for `passphrase` (UTF-8). The passphrase is copied only into
// memory that is wiped afterwards (core/secret.h); what zxcvbn copies inside
// itself is its own and freed when it returns.
PassphraseStrength estimate_passphrase_strength(std::string_view passphrase);

const char* to_string(PassphraseLevel level);  // "very weak" ... "very strong"

}  // namespace attune
