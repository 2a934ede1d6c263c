// passphrase_policy.h: what Attune accepts as a new passphrase. The one place
// this rule lives; the store enforces it and the unlock screen shows it.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace attune {

// Counted in characters (Unicode code points), not bytes.
inline constexpr std::size_t kMinimumPassphraseCharacters = 12;
// Longer would only be a pasted file by mistake; Argon2id takes any length.
inline constexpr std::size_t kMaximumPassphraseBytes = 1024;

// Why `passphrase` cannot be a new passphrase, in one plain sentence, or
// nullopt when it can. Never repeats the passphrase.
std::optional<std::string> new_passphrase_problem(std::string_view passphrase);

}  // namespace attune
