#include "core/crypto.h"

#include <sodium.h>

#include <array>
#include <stdexcept>

namespace attune::crypto {

// The constants in crypto.h are libsodium's; keep them so.
static_assert(kKdfInteractive.opslimit == crypto_pwhash_OPSLIMIT_INTERACTIVE);
static_assert(kKdfInteractive.memlimit == crypto_pwhash_MEMLIMIT_INTERACTIVE);
static_assert(kKdfModerate.opslimit == crypto_pwhash_OPSLIMIT_MODERATE);
static_assert(kKdfModerate.memlimit == crypto_pwhash_MEMLIMIT_MODERATE);
static_assert(kKdfSensitive.opslimit == crypto_pwhash_OPSLIMIT_SENSITIVE);
static_assert(kKdfSensitive.memlimit == crypto_pwhash_MEMLIMIT_SENSITIVE);
static_assert(kKdfLibraryMinimum.opslimit == crypto_pwhash_argon2id_OPSLIMIT_MIN);
static_assert(kKdfLibraryMinimum.memlimit == crypto_pwhash_argon2id_MEMLIMIT_MIN);
static_assert(kSaltSize == crypto_pwhash_SALTBYTES);
static_assert(kAeadKeySize == crypto_aead_xchacha20poly1305_ietf_KEYBYTES);
static_assert(kAeadNonceSize == crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
static_assert(kAeadTagSize == crypto_aead_xchacha20poly1305_ietf_ABYTES);
static_assert(kPublicKeySize == crypto_sign_PUBLICKEYBYTES);
static_assert(kSecretKeySize == crypto_sign_SECRETKEYBYTES);
static_assert(kSignatureSize == crypto_sign_BYTES);
static_assert(kSealOverhead == crypto_box_SEALBYTES);
static_assert(kSha256Size == crypto_hash_sha256_BYTES);

namespace {

void require_size(std::size_t actual, std::size_t expected, const char* what) {
    if (actual != expected)
        throw std::invalid_argument(std::string(what) + " has " + std::to_string(actual) + " bytes, not " +
                                    std::to_string(expected));
}

// X25519 key pair converted from an Ed25519 one, for sealed boxes.
struct BoxKeys {
    std::array<std::uint8_t, crypto_box_PUBLICKEYBYTES> public_key{};
    SecretBytes secret_key{crypto_box_SECRETKEYBYTES};
};

}  // namespace

// [SECTION] Start-up and randomness

void init() {
    // A function-local static runs sodium_init exactly once, even with threads.
    static const bool started = sodium_init() >= 0;
    if (!started) throw std::runtime_error("the cryptography library (libsodium) could not start");
}

Bytes random_bytes(std::size_t count) {
    init();
    Bytes bytes(count);
    if (count != 0) randombytes_buf(bytes.data(), count);
    return bytes;
}

SecretBytes random_secret(std::size_t count) {
    init();
    SecretBytes bytes(count);
    if (count != 0) randombytes_buf(bytes.data(), count);
    return bytes;
}

// [SECTION] Passphrase key derivation

SecretBytes derive_key(ByteView secret, ByteView salt, const KdfLimits& limits, std::size_t key_size) {
    init();
    require_size(salt.size(), kSaltSize, "the salt");
    if (!limits.at_least(kKdfLibraryMinimum) || !kKdfMaximum.at_least(limits))
        throw std::invalid_argument("Argon2id limits out of range");
    if (key_size < crypto_pwhash_BYTES_MIN) throw std::invalid_argument("derived key too short");
    SecretBytes key(key_size);
    // crypto_pwhash wants a char pointer; any bytes are accepted.
    if (crypto_pwhash(key.data(), key.size(), reinterpret_cast<const char*>(secret.data()), secret.size(), salt.data(),
                      limits.opslimit, static_cast<std::size_t>(limits.memlimit), crypto_pwhash_ALG_ARGON2ID13) != 0)
        throw std::runtime_error("deriving a key from the passphrase failed: not enough memory (" +
                                 std::to_string(limits.memlimit >> 20) + " MiB needed)");
    return key;
}

// [SECTION] Authenticated encryption

Sealed aead_seal(ByteView plaintext, ByteView associated, const SecretBytes& key) {
    init();
    require_size(key.size(), kAeadKeySize, "the encryption key");
    Sealed sealed;
    sealed.nonce = random_bytes(kAeadNonceSize);
    sealed.ciphertext.resize(plaintext.size() + kAeadTagSize);
    unsigned long long written = 0;
    crypto_aead_xchacha20poly1305_ietf_encrypt(sealed.ciphertext.data(), &written, plaintext.data(), plaintext.size(),
                                               associated.data(), associated.size(), nullptr, sealed.nonce.data(),
                                               key.data());
    sealed.ciphertext.resize(static_cast<std::size_t>(written));
    return sealed;
}

std::optional<SecretBytes> aead_open(const Sealed& sealed, ByteView associated, const SecretBytes& key) {
    init();
    require_size(key.size(), kAeadKeySize, "the encryption key");
    if (sealed.nonce.size() != kAeadNonceSize || sealed.ciphertext.size() < kAeadTagSize) return std::nullopt;
    SecretBytes plaintext(sealed.ciphertext.size() - kAeadTagSize);
    unsigned long long written = 0;
    if (crypto_aead_xchacha20poly1305_ietf_decrypt(plaintext.data(), &written, nullptr, sealed.ciphertext.data(),
                                                   sealed.ciphertext.size(), associated.data(), associated.size(),
                                                   sealed.nonce.data(), key.data()) != 0)
        return std::nullopt;
    return plaintext;
}

// [SECTION] Signatures

SigningKeyPair generate_signing_keypair() {
    init();
    SigningKeyPair pair{Bytes(kPublicKeySize), SecretBytes(kSecretKeySize)};
    crypto_sign_keypair(pair.public_key.data(), pair.secret_key.data());
    return pair;
}

Bytes public_key_of(const SecretBytes& secret_key) {
    init();
    require_size(secret_key.size(), kSecretKeySize, "the secret signing key");
    Bytes public_key(kPublicKeySize);
    crypto_sign_ed25519_sk_to_pk(public_key.data(), secret_key.data());
    return public_key;
}

Bytes sign(ByteView message, const SecretBytes& secret_key) {
    init();
    require_size(secret_key.size(), kSecretKeySize, "the secret signing key");
    Bytes signature(kSignatureSize);
    crypto_sign_detached(signature.data(), nullptr, message.data(), message.size(), secret_key.data());
    return signature;
}

bool verify(ByteView message, ByteView signature, ByteView public_key) {
    init();
    if (signature.size() != kSignatureSize || public_key.size() != kPublicKeySize) return false;
    return crypto_sign_verify_detached(signature.data(), message.data(), message.size(), public_key.data()) == 0;
}

// [SECTION] Sealed boxes

Bytes seal_to(ByteView plaintext, ByteView recipient_public_key) {
    init();
    require_size(recipient_public_key.size(), kPublicKeySize, "the recipient's public key");
    std::array<std::uint8_t, crypto_box_PUBLICKEYBYTES> box_public{};
    if (crypto_sign_ed25519_pk_to_curve25519(box_public.data(), recipient_public_key.data()) != 0)
        throw std::invalid_argument("the recipient's public key is not a valid Ed25519 key");
    Bytes box(plaintext.size() + kSealOverhead);
    crypto_box_seal(box.data(), plaintext.data(), plaintext.size(), box_public.data());
    return box;
}

std::optional<SecretBytes> open_sealed(ByteView box, const SecretBytes& recipient_secret_key) {
    init();
    require_size(recipient_secret_key.size(), kSecretKeySize, "the secret signing key");
    if (box.size() < kSealOverhead) return std::nullopt;
    BoxKeys keys;
    const Bytes public_key = public_key_of(recipient_secret_key);
    if (crypto_sign_ed25519_pk_to_curve25519(keys.public_key.data(), public_key.data()) != 0 ||
        crypto_sign_ed25519_sk_to_curve25519(keys.secret_key.data(), recipient_secret_key.data()) != 0)
        return std::nullopt;
    SecretBytes plaintext(box.size() - kSealOverhead);
    if (crypto_box_seal_open(plaintext.data(), box.data(), box.size(), keys.public_key.data(),
                             keys.secret_key.data()) != 0)
        return std::nullopt;
    return plaintext;
}

// [SECTION] Hashing and fingerprints

Bytes sha256(ByteView bytes) {
    init();
    Bytes digest(kSha256Size);
    crypto_hash_sha256(digest.data(), bytes.data(), bytes.size());
    return digest;
}

Bytes keyed_hash(ByteView message, const SecretBytes& key) {
    init();
    if (key.size() < crypto_generichash_KEYBYTES_MIN || key.size() > crypto_generichash_KEYBYTES_MAX)
        throw std::invalid_argument("the hash key has an unusable size");
    Bytes digest(crypto_generichash_BYTES);
    crypto_generichash(digest.data(), digest.size(), message.data(), message.size(), key.data(), key.size());
    return digest;
}

std::string fingerprint(ByteView public_key) {
    const Bytes digest = sha256(public_key);
    const std::string hex = to_hex(ByteView(digest).first(20));
    std::string out;
    for (std::size_t i = 0; i < hex.size(); i += 8) {
        if (!out.empty()) out.push_back(' ');
        out.append(hex, i, 8);
    }
    return out;
}

bool equal_constant_time(ByteView a, ByteView b) {
    init();
    if (a.size() != b.size()) return false;
    if (a.empty()) return true;
    return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

// [SECTION] Hex and base64

std::string to_hex(ByteView bytes) {
    init();
    std::string hex(bytes.size() * 2 + 1, '\0');
    sodium_bin2hex(hex.data(), hex.size(), bytes.data(), bytes.size());
    hex.pop_back();  // the NUL sodium_bin2hex writes
    return hex;
}

SecretString to_hex_secret(const SecretBytes& bytes) {
    init();
    SecretBytes hex(bytes.size() * 2 + 1);
    sodium_bin2hex(reinterpret_cast<char*>(hex.data()), hex.size(), bytes.data(), bytes.size());
    const std::string_view text(reinterpret_cast<const char*>(hex.data()), bytes.size() * 2);
    return SecretString(text);  // `hex` is wiped when it goes out of scope
}

std::optional<Bytes> from_hex(std::string_view hex) {
    init();
    if (hex.size() % 2 != 0) return std::nullopt;
    if (hex.empty()) return Bytes{};  // (an empty vector's data() may be null, which libsodium must not get)
    Bytes bytes(hex.size() / 2);
    std::size_t written = 0;
    const char* end = nullptr;
    if (sodium_hex2bin(bytes.data(), bytes.size(), hex.data(), hex.size(), nullptr, &written, &end) != 0 ||
        written != bytes.size() || end != hex.data() + hex.size())
        return std::nullopt;
    return bytes;
}

std::string to_base64(ByteView bytes) {
    init();
    constexpr int kVariant = sodium_base64_VARIANT_ORIGINAL;
    std::string text(sodium_base64_ENCODED_LEN(bytes.size(), kVariant), '\0');
    sodium_bin2base64(text.data(), text.size(), bytes.data(), bytes.size(), kVariant);
    text.pop_back();  // the NUL
    return text;
}

std::optional<Bytes> from_base64(std::string_view text) {
    init();
    Bytes bytes(text.size() / 4 * 3 + 3);
    std::size_t written = 0;
    const char* end = nullptr;
    if (sodium_base642bin(bytes.data(), bytes.size(), text.data(), text.size(), nullptr, &written, &end,
                          sodium_base64_VARIANT_ORIGINAL) != 0 ||
        end != text.data() + text.size())
        return std::nullopt;
    bytes.resize(written);
    // Only the one canonical spelling counts (no stray padding bits), so a
    // changed character never decodes to the same bytes.
    if (to_base64(bytes) != text) return std::nullopt;
    return bytes;
}

}  // namespace attune::crypto
