#include "core/sha256.h"

#include "core/crypto.h"

namespace attune {

std::string sha256_hex(std::string_view bytes) { return crypto::to_hex(crypto::sha256(crypto::as_bytes(bytes))); }

}  // namespace attune
