// sha256.h: SHA-256 for the audit chain, note hashes and name-based uuids.
#pragma once

#include <string>
#include <string_view>

namespace attune {

// SHA-256 of `bytes` as lower-case hex (64 characters).
std::string sha256_hex(std::string_view bytes);

}  // namespace attune
