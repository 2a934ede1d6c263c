// sealed_bundle.h: the file of a case bundle encrypted to people's public
// keys (`attune bundle export --to NAME[,NAME]`) instead of a bundle
// passphrase. The bundle database itself is the same SQLCipher file as ever
// (store/bundle.h), keyed with a random 32-byte bundle key as SQLCipher's raw
// key; this file wraps it:
//
//   attune-sealed-bundle\n                    the magic line
//   {"version":1,"recipients":[...]}\n       one line of JSON: the header
//   <the bundle database's bytes>            to the end of the file
//
// Each recipient is {"uuid", "name", "fingerprint", "sealed_key"}: the bundle
// key sealed to that person's Ed25519 public key (libsodium sealed box, key
// converted to X25519; base64), so only the holder of the matching secret key
// can open it. The header is not encrypted (a recipient must find their entry
// before they hold any key) but it is authenticated: the SHA-256 of the magic
// line and the header line, exactly as written, is kept inside the bundle
// database (info key 'recipients_sha256'), which the sender signs. Plain
// structs and bytes only: no key is handled here.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/crypto.h"

namespace attune::formats {

inline constexpr const char* kSealedBundleMagic = "attune-sealed-bundle";
inline constexpr int kSealedBundleVersion = 1;
// A header larger than this is damage, not a list of people.
inline constexpr std::size_t kMaxSealedBundleHeader = 1 << 20;

struct SealedBundleRecipient {
    std::string uuid;          // the person's uuid in the practice their key comes from
    std::string name;          // as the sender knows them, to say whom a bundle is for
    std::string fingerprint;   // crypto::fingerprint of the public key it is sealed to
    crypto::Bytes sealed_key;  // the bundle key in a sealed box (32 + crypto::kSealOverhead bytes)
};

struct SealedBundleHeader {
    std::vector<SealedBundleRecipient> recipients;
};

// The magic line and the header line, exactly as written to the file.
std::string sealed_bundle_header_text(const SealedBundleHeader& header);

// True when the file begins with the magic line (false for a passphrase
// bundle, a missing file or anything else).
bool is_sealed_bundle(const std::filesystem::path& file);

struct SealedBundleFile {
    SealedBundleHeader header;
    std::string header_text;           // the bytes the header was read from (what the sender's hash covers)
    std::uint64_t payload_offset = 0;  // where the bundle database starts
};
// Reads the header. Throws attune::Error naming the file: NotFound when it
// cannot be read, NotAttune when it is not a sealed bundle, NewerSchema for a
// newer version, Invalid for a header that does not parse (damaged or changed).
SealedBundleFile read_sealed_bundle(const std::filesystem::path& file);

// Writes the bundle database's bytes (from `payload_offset` to the end of
// `file`) to `to` (created new, mode 0600). Throws attune::Error (Io, NotAttune
// when there are no such bytes).
void extract_sealed_payload(const std::filesystem::path& file, std::uint64_t payload_offset,
                            const std::filesystem::path& to);

// The whole sealed file's bytes: `header_text` followed by the database file's.
// Throws attune::Error (Io) when the database cannot be read.
std::string sealed_bundle_bytes(const std::string& header_text, const std::filesystem::path& database);

}  // namespace attune::formats
