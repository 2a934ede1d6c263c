// crypto.h: the few cryptographic operations Attune uses, over libsodium.
// Pure functions: no files, no clock; randomness comes from the OS.
//
// Index:
// [SECTION] Types and start-up
// [SECTION] Randomness
// [SECTION] Passphrase key derivation (Argon2id)
// [SECTION] Authenticated encryption (XChaCha20-Poly1305-IETF)
// [SECTION] Signatures (Ed25519)
// [SECTION] Encrypting to a person's public key (sealed boxes)
// [SECTION] Hashing and fingerprints
// [SECTION] Hex and base64
//
// Errors: a failed authentication or verification is an ordinary result
// (std::nullopt / false), because it is what a wrong key or a changed file
// produces. Arguments of the wrong size throw std::invalid_argument (a bug in
// the caller); libsodium failing to start or to allocate throws
// std::runtime_error.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/secret.h"

namespace attune::crypto {

// [SECTION] Types and start-up

// Bytes that are not secret: ciphertexts, nonces, salts, public keys, signatures.
using Bytes = std::vector<std::uint8_t>;
using ByteView = std::span<const std::uint8_t>;

// The bytes of a text, for hashing or signing it.
inline ByteView as_bytes(std::string_view text) {
    return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

// Starts libsodium once per process (thread-safe; later calls cost nothing).
// Every function here calls it; callers need not.
void init();

// [SECTION] Randomness

Bytes random_bytes(std::size_t count);
SecretBytes random_secret(std::size_t count);

// [SECTION] Passphrase key derivation (Argon2id)

// Argon2id cost. opslimit: passes over the memory; memlimit: bytes of memory.
struct KdfLimits {
    std::uint64_t opslimit = 0;
    std::uint64_t memlimit = 0;

    bool operator==(const KdfLimits&) const = default;
    // True when neither cost is below `minimum`'s.
    bool at_least(const KdfLimits& minimum) const {
        return opslimit >= minimum.opslimit && memlimit >= minimum.memlimit;
    }
};

// libsodium's presets (crypto_pwhash_*_INTERACTIVE / MODERATE / SENSITIVE;
// checked against its headers in crypto.cpp).
// Measured on the build machine (AMD EPYC, 2 vCPUs shared by other builds,
// load 4 to 6; libsodium 1.0.18, one lane), one derivation: INTERACTIVE 80 to
// 115 ms of CPU (100 to 180 ms wall); MODERATE 530 to 580 ms of CPU (0.6 to
// 1.0 s wall; 0.9 to 1.8 s the first time in a process, while its 256 MiB
// are first touched). Key slots use MODERATE: a sign-in costs about a second.
inline constexpr KdfLimits kKdfInteractive{2, 64ull << 20};
inline constexpr KdfLimits kKdfModerate{3, 256ull << 20};
inline constexpr KdfLimits kKdfSensitive{4, 1ull << 30};
// The most a key slot may ask for: a file demanding more would make sign-in
// hang or run out of memory, so it is refused as damaged.
inline constexpr KdfLimits kKdfMaximum{16, 4ull << 30};
// The least libsodium's Argon2id accepts at all (opslimit 1, 8 KiB).
inline constexpr KdfLimits kKdfLibraryMinimum{1, 8192};

inline constexpr std::size_t kSaltSize = 16;  // crypto_pwhash_SALTBYTES

// Argon2id13 over `secret` (a passphrase's UTF-8 bytes or a recovery key's
// bytes) and a kSaltSize-byte salt; returns `key_size` bytes. Throws
// std::invalid_argument for a wrong salt size or limits outside
// [kKdfLibraryMinimum, kKdfMaximum], std::runtime_error when memory runs out.
SecretBytes derive_key(ByteView secret, ByteView salt, const KdfLimits& limits, std::size_t key_size = 32);

// [SECTION] Authenticated encryption (XChaCha20-Poly1305-IETF)

inline constexpr std::size_t kAeadKeySize = 32;
inline constexpr std::size_t kAeadNonceSize = 24;
inline constexpr std::size_t kAeadTagSize = 16;

struct Sealed {
    Bytes nonce;       // kAeadNonceSize random bytes, new for every seal
    Bytes ciphertext;  // the plaintext's size + kAeadTagSize
};

// Encrypts `plaintext` under `key` (kAeadKeySize bytes); `associated` is
// authenticated but not encrypted, and must be given again to open.
Sealed aead_seal(ByteView plaintext, ByteView associated, const SecretBytes& key);
// The plaintext, or nullopt when the key, the nonce, the ciphertext or the
// associated data is not what was sealed.
std::optional<SecretBytes> aead_open(const Sealed& sealed, ByteView associated, const SecretBytes& key);

// [SECTION] Signatures (Ed25519)

inline constexpr std::size_t kPublicKeySize = 32;
inline constexpr std::size_t kSecretKeySize = 64;  // libsodium's layout: seed, then public key
inline constexpr std::size_t kSignatureSize = 64;

struct SigningKeyPair {
    Bytes public_key;        // kPublicKeySize
    SecretBytes secret_key;  // kSecretKeySize
};

SigningKeyPair generate_signing_keypair();
// The public half of a secret signing key.
Bytes public_key_of(const SecretBytes& secret_key);
// A kSignatureSize-byte detached signature of `message`.
Bytes sign(ByteView message, const SecretBytes& secret_key);
// False for a wrong signature, a changed message, or a key or signature of the wrong size.
bool verify(ByteView message, ByteView signature, ByteView public_key);

// [SECTION] Encrypting to a person's public key (sealed boxes)

// Anyone can encrypt to a person's Ed25519 public key (converted to X25519);
// only the holder of the secret signing key can open it. The sender stays
// anonymous: sign the content separately to show who sent it.
inline constexpr std::size_t kSealOverhead = 48;  // crypto_box_SEALBYTES

// Throws std::invalid_argument when `recipient_public_key` is not a usable Ed25519 key.
Bytes seal_to(ByteView plaintext, ByteView recipient_public_key);
// The plaintext, or nullopt when the box was not sealed to this key or was changed.
std::optional<SecretBytes> open_sealed(ByteView box, const SecretBytes& recipient_secret_key);

// [SECTION] Hashing and fingerprints

inline constexpr std::size_t kSha256Size = 32;
Bytes sha256(ByteView bytes);
// BLAKE2b-256 keyed with `key` (16 to 64 bytes): a MAC of `message`.
Bytes keyed_hash(ByteView message, const SecretBytes& key);

// How a public key is shown to a person, to compare it by phone or on paper:
// the first 20 bytes of SHA-256 over the 32 key bytes, as five groups of
// eight lower-case hex digits, e.g. "3f2a9c01 77e4b0d2 5a6b7c8d 9e0f1a2b 3c4d5e6f".
std::string fingerprint(ByteView public_key);

// Compares in time that depends only on the sizes.
bool equal_constant_time(ByteView a, ByteView b);

// [SECTION] Hex and base64

std::string to_hex(ByteView bytes);  // lower case
// Secret bytes as hex into a secret buffer (sodium_bin2hex runs in constant time).
SecretString to_hex_secret(const SecretBytes& bytes);
std::optional<Bytes> from_hex(std::string_view hex);  // nullopt unless it is whole bytes of hex digits
// Standard base64 with padding (RFC 4648 section 4).
std::string to_base64(ByteView bytes);
std::optional<Bytes> from_base64(std::string_view text);  // nullopt for anything that is not exactly that

}  // namespace attune::crypto
