#include "core/passphrase_policy.h"

#include "core/text.h"

namespace attune {

std::optional<std::string> new_passphrase_problem(std::string_view passphrase) {
    if (passphrase.size() > kMaximumPassphraseBytes)
        return "the passphrase is longer than " + std::to_string(kMaximumPassphraseBytes) + " bytes";
    if (!is_valid_utf8(passphrase)) return std::string("the passphrase is not valid UTF-8 text");
    std::size_t characters = 0;
    for (const char byte : passphrase)
        if ((static_cast<unsigned char>(byte) & 0xC0) != 0x80) ++characters;  // not a continuation byte
    if (characters < kMinimumPassphraseCharacters)
        return "the passphrase needs at least " + std::to_string(kMinimumPassphraseCharacters) + " characters";
    return std::nullopt;
}

}  // namespace attune
