#include "core/passphrase_strength.h"

#include <zxcvbn.h>

#include <cmath>

#include "core/secret.h"

namespace attune {

const char* to_string(PassphraseLevel level) {
    switch (level) {
        case PassphraseLevel::VeryWeak:
            return "very weak";
        case PassphraseLevel::Weak:
            return "weak";
        case PassphraseLevel::Fair:
            return "fair";
        case PassphraseLevel::Strong:
            return "strong";
        case PassphraseLevel::VeryStrong:
            return "very strong";
    }
    return "very weak";
}

std::string PassphraseStrength::text() const {
    std::string line = std::string("Strength: ") + to_string(level) + " (about 2^" +
                       std::to_string(static_cast<int>(std::floor(bits))) + " guesses)";
    if (level < PassphraseLevel::Strong)
        line += ": add a few unrelated words; names, dates and keyboard rows count little";
    return line;
}

PassphraseStrength estimate_passphrase_strength(std::string_view passphrase) {
    PassphraseStrength strength;
    if (passphrase.empty()) return strength;
    // zxcvbn wants a NUL-terminated string: the copy for it lives in wiped, locked memory.
    const SecretString terminated(passphrase);
    strength.bits = ZxcvbnMatch(terminated.c_str(), nullptr, nullptr);
    if (!(strength.bits >= 0)) strength.bits = 0;  // NaN or negative: nothing to go by
    strength.level = strength.bits >= kVeryStrongBits ? PassphraseLevel::VeryStrong
                     : strength.bits >= kStrongBits   ? PassphraseLevel::Strong
                     : strength.bits >= kFairBits     ? PassphraseLevel::Fair
                     : strength.bits >= kWeakBits     ? PassphraseLevel::Weak
                                                      : PassphraseLevel::VeryWeak;
    return strength;
}

}  // namespace attune
