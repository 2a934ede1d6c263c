#include "core/crypto.h"

#include <catch2/catch_test_macros.hpp>
#include <numeric>
#include <stdexcept>
#include <string>

using namespace attune;
using namespace attune::crypto;

namespace {

Bytes hex(std::string_view text) {
    return from_hex(text).value();
}

Bytes counting_bytes(std::size_t count) {
    Bytes bytes(count);
    std::iota(bytes.begin(), bytes.end(), std::uint8_t{0});
    return bytes;
}

// RFC 8032 section 7.1, TEST 1: libsodium's secret key is the seed followed by the public key.
const char* kRfcSeed = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
const char* kRfcPublic = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
const char* kRfcSignature =
    "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24"
    "655141438e7a100b";

SecretBytes rfc_secret_key() {
    Bytes bytes = hex(kRfcSeed);
    const Bytes public_key = hex(kRfcPublic);
    bytes.insert(bytes.end(), public_key.begin(), public_key.end());
    return SecretBytes::copy_of(bytes);
}

}  // namespace

// [SECTION] Randomness and key derivation

TEST_CASE("random bytes come in the size asked for and differ between draws", "[crypto]") {
    const Bytes a = random_bytes(32);
    const Bytes b = random_bytes(32);
    REQUIRE(a.size() == 32);
    REQUIRE(a != b);
    REQUIRE(random_secret(16).size() == 16);
    REQUIRE_FALSE(random_secret(32) == random_secret(32));
}

TEST_CASE("Argon2id gives the key an independent implementation gives", "[crypto]") {
    // Python cryptography 48 (OpenSSL's Argon2id): salt 00..0f, t=1, m=8 KiB, one lane.
    const SecretBytes key =
        derive_key(as_bytes("correct horse battery staple"), counting_bytes(16), kKdfLibraryMinimum);
    REQUIRE(to_hex(key.view()) == "d17ea6341ca93da6079ea2f64dc4aa31dd1aaf9caa67fb42ac4afd0714706f26");
    // t=2, m=64 KiB: the limits are passes and bytes as libsodium takes them.
    const SecretBytes other = derive_key(as_bytes("correct horse battery staple"), counting_bytes(16), {2, 64 * 1024});
    REQUIRE(to_hex(other.view()) == "2df47ede6358ed17a9976d4fcedb897a10036d432a4acef17d263bfc98bd20ac");
}

TEST_CASE("a different passphrase or salt derives a different key", "[crypto]") {
    const Bytes salt = counting_bytes(16);
    const SecretBytes key = derive_key(as_bytes("correct horse battery staple"), salt, kKdfLibraryMinimum);
    REQUIRE_FALSE(derive_key(as_bytes("correct horse battery stapler"), salt, kKdfLibraryMinimum) == key);
    Bytes other_salt = salt;
    other_salt[15] ^= 1;
    REQUIRE_FALSE(derive_key(as_bytes("correct horse battery staple"), other_salt, kKdfLibraryMinimum) == key);
}

TEST_CASE("key derivation refuses a wrong salt size and limits out of range", "[crypto]") {
    REQUIRE_THROWS_AS(derive_key(as_bytes("pass"), counting_bytes(15), kKdfLibraryMinimum), std::invalid_argument);
    REQUIRE_THROWS_AS(derive_key(as_bytes("pass"), counting_bytes(16), {0, 8192}), std::invalid_argument);
    REQUIRE_THROWS_AS(derive_key(as_bytes("pass"), counting_bytes(16), {1, 4096}), std::invalid_argument);
    REQUIRE_THROWS_AS(derive_key(as_bytes("pass"), counting_bytes(16), {17, 8192}), std::invalid_argument);
}

TEST_CASE("limits are at least a minimum only when both costs are", "[crypto]") {
    REQUIRE(kKdfModerate.at_least(kKdfModerate));
    REQUIRE(kKdfSensitive.at_least(kKdfModerate));
    REQUIRE_FALSE(kKdfInteractive.at_least(kKdfModerate));
    REQUIRE_FALSE(KdfLimits{3, kKdfModerate.memlimit - 1}.at_least(kKdfModerate));
    REQUIRE_FALSE(KdfLimits{2, kKdfSensitive.memlimit}.at_least(kKdfModerate));
}

// [SECTION] Authenticated encryption

TEST_CASE("sealed data opens with the same key and associated data", "[crypto]") {
    const SecretBytes key = random_secret(kAeadKeySize);
    const Sealed sealed = aead_seal(as_bytes("the data key"), as_bytes("slot 1"), key);
    REQUIRE(sealed.nonce.size() == 24);
    REQUIRE(sealed.ciphertext.size() == 12 + 16);
    const auto opened = aead_open(sealed, as_bytes("slot 1"), key);
    REQUIRE(opened.has_value());
    REQUIRE(std::string(opened->view().begin(), opened->view().end()) == "the data key");
}

TEST_CASE("sealed data does not open with anything changed", "[crypto]") {
    const SecretBytes key = random_secret(kAeadKeySize);
    const Sealed sealed = aead_seal(as_bytes("the data key"), as_bytes("slot 1"), key);
    REQUIRE_FALSE(aead_open(sealed, as_bytes("slot 2"), key).has_value());
    REQUIRE_FALSE(aead_open(sealed, as_bytes("slot 1"), random_secret(kAeadKeySize)).has_value());
    Sealed changed = sealed;
    changed.ciphertext[3] ^= 0x01;
    REQUIRE_FALSE(aead_open(changed, as_bytes("slot 1"), key).has_value());
    changed = sealed;
    changed.nonce[0] ^= 0x80;
    REQUIRE_FALSE(aead_open(changed, as_bytes("slot 1"), key).has_value());
    changed = sealed;
    changed.ciphertext.pop_back();
    REQUIRE_FALSE(aead_open(changed, as_bytes("slot 1"), key).has_value());
}

TEST_CASE("sealing the same text twice gives different ciphertexts", "[crypto]") {
    const SecretBytes key = random_secret(kAeadKeySize);
    const Sealed a = aead_seal(as_bytes("same"), {}, key);
    const Sealed b = aead_seal(as_bytes("same"), {}, key);
    REQUIRE(a.nonce != b.nonce);
    REQUIRE(a.ciphertext != b.ciphertext);
}

// [SECTION] Signatures

TEST_CASE("Ed25519 signs as RFC 8032's first test vector says", "[crypto]") {
    const SecretBytes secret_key = rfc_secret_key();
    REQUIRE(public_key_of(secret_key) == hex(kRfcPublic));
    const Bytes signature = sign({}, secret_key);
    REQUIRE(signature == hex(kRfcSignature));
    REQUIRE(verify({}, signature, hex(kRfcPublic)));
}

TEST_CASE("a signature fails for a changed message, a changed signature or another key", "[crypto]") {
    const SigningKeyPair keys = generate_signing_keypair();
    REQUIRE(keys.public_key.size() == 32);
    REQUIRE(public_key_of(keys.secret_key) == keys.public_key);
    const Bytes signature = sign(as_bytes("session 7 as signed"), keys.secret_key);
    REQUIRE(verify(as_bytes("session 7 as signed"), signature, keys.public_key));
    REQUIRE_FALSE(verify(as_bytes("session 7 as signeD"), signature, keys.public_key));
    Bytes changed = signature;
    changed[10] ^= 0x04;
    REQUIRE_FALSE(verify(as_bytes("session 7 as signed"), changed, keys.public_key));
    REQUIRE_FALSE(verify(as_bytes("session 7 as signed"), signature, generate_signing_keypair().public_key));
    REQUIRE_FALSE(
        verify(as_bytes("session 7 as signed"), Bytes(signature.begin(), signature.end() - 1), keys.public_key));
}

// [SECTION] Sealed boxes

TEST_CASE("a box sealed to a person's public key opens only with their secret key", "[crypto]") {
    const SigningKeyPair maya = generate_signing_keypair();
    const SigningKeyPair sam = generate_signing_keypair();
    const Bytes box = seal_to(as_bytes("bundle key"), maya.public_key);
    REQUIRE(box.size() == 10 + kSealOverhead);
    const auto opened = open_sealed(box, maya.secret_key);
    REQUIRE(opened.has_value());
    REQUIRE(std::string(opened->view().begin(), opened->view().end()) == "bundle key");
    REQUIRE_FALSE(open_sealed(box, sam.secret_key).has_value());
    Bytes changed = box;
    changed.back() ^= 0x01;
    REQUIRE_FALSE(open_sealed(changed, maya.secret_key).has_value());
}

TEST_CASE("sealing to something that is not a public key is refused", "[crypto]") {
    REQUIRE_THROWS_AS(seal_to(as_bytes("x"), Bytes(32, 0)), std::invalid_argument);  // a small-order point
    REQUIRE_THROWS_AS(seal_to(as_bytes("x"), Bytes(31, 1)), std::invalid_argument);
}

// [SECTION] Hashing, fingerprints, encodings

TEST_CASE("SHA-256 of abc is FIPS 180-2's value", "[crypto]") {
    REQUIRE(to_hex(sha256(as_bytes("abc"))) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST_CASE("a keyed hash depends on the key and the message", "[crypto]") {
    const SecretBytes key = random_secret(32);
    const Bytes mac = keyed_hash(as_bytes("check"), key);
    REQUIRE(mac.size() == 32);
    REQUIRE(keyed_hash(as_bytes("check"), key.clone()) == mac);
    REQUIRE(keyed_hash(as_bytes("check"), random_secret(32)) != mac);
    REQUIRE(keyed_hash(as_bytes("checK"), key) != mac);
}

TEST_CASE("a fingerprint is 20 bytes of the key's SHA-256 in five groups of eight", "[crypto]") {
    // sha256(00 01 .. 1f) begins 630dcd2966c4336691125448bbb25b4ff412a49c (Python hashlib).
    REQUIRE(fingerprint(counting_bytes(32)) == "630dcd29 66c43366 91125448 bbb25b4f f412a49c");
}

TEST_CASE("hex and base64 follow RFC 4648 and round-trip", "[crypto]") {
    REQUIRE(to_hex(as_bytes("\x01\xab\xff")) == "01abff");
    REQUIRE(from_hex("01ABff") == Bytes{0x01, 0xab, 0xff});
    REQUIRE(from_hex("") == Bytes{});  // an empty key column reads as no bytes (UBSan: no null to libsodium)
    REQUIRE(to_base64(as_bytes("foob")) == "Zm9vYg==");
    REQUIRE(to_base64(as_bytes("fooba")) == "Zm9vYmE=");
    REQUIRE(from_base64("Zm9vYmE=") == Bytes{'f', 'o', 'o', 'b', 'a'});
    const Bytes random = random_bytes(33);
    REQUIRE(from_base64(to_base64(random)) == random);
    REQUIRE(from_hex(to_hex(random)) == random);
}

TEST_CASE("malformed hex and base64 are refused, not half read", "[crypto]") {
    REQUIRE_FALSE(from_hex("abc").has_value());
    REQUIRE_FALSE(from_hex("zz").has_value());
    REQUIRE_FALSE(from_hex("ab cd").has_value());
    REQUIRE_FALSE(from_base64("Zm9vYmE").has_value());    // padding missing
    REQUIRE_FALSE(from_base64("Zm9vYh==").has_value());   // stray bits: "foob" is Zm9vYg==
    REQUIRE_FALSE(from_base64("Zm9v YmE=").has_value());  // a space
    REQUIRE_FALSE(from_base64("Zm9vYmE=A").has_value());
}

TEST_CASE("secret bytes as hex stay in a secret buffer and match plain hex", "[crypto]") {
    const SecretBytes key = SecretBytes::copy_of(counting_bytes(4));
    REQUIRE(to_hex_secret(key).view() == "00010203");
}

TEST_CASE("constant-time comparison tells equal bytes from different ones", "[crypto]") {
    REQUIRE(equal_constant_time(as_bytes("abc"), as_bytes("abc")));
    REQUIRE_FALSE(equal_constant_time(as_bytes("abc"), as_bytes("abd")));
    REQUIRE_FALSE(equal_constant_time(as_bytes("abc"), as_bytes("ab")));
}
