// media_vault.h: a recording encrypted at rest, readable at any offset.
//
// A recording is health data, so it is kept in the practice's media folder as
// a container of chunks, each sealed with XChaCha20-Poly1305 (libsodium) under
// a 32-byte media key the caller derives from the practice's key material.
// Playback decrypts only the chunks it needs, in memory; no plaintext copy is
// ever written to disk (store::MediaVaultReader is a ByteSource the player
// reads through).
//
// Container format, version 1 (integers little-endian):
//   0  magic "ATTMEDIA" (8 bytes)
//   8  format version, u32 (1)
//  12  chunk size in plaintext bytes, u32 (4 KiB .. 64 MiB; default 1 MiB)
//  16  plaintext size, u64
//  24  file id, 16 random bytes
//  40  sealed metadata length M, u32
//  44  sealed metadata (M bytes): SHA-256 of the plaintext (32 bytes), the
//      original file name's length (u16) and bytes; sealed with nonce
//      file id || FF FF FF FF FF FF FF FF and associated data bytes 0..44, so
//      the public fields above cannot be changed either. The name is sealed
//      because a file name often names the couple.
//  44+M chunks: chunk i holds plaintext bytes [i * chunk size, ...) sealed
//      with nonce file id || u64 i and associated data
//      file id || u64 i || u8 final (1 for the last chunk, else 0), each
//      followed by its 16-byte tag. An empty recording has one empty chunk.
// A chunk moved, swapped in from another container, dropped or cut short
// fails authentication, and so does any file whose size is not exactly what
// the header says; all of these are refused with MediaTampered.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <mutex>
#include <span>
#include <string>
#include <vector>

#include "core/byte_source.h"
#include "store/database.h"

namespace attune::store {

inline constexpr std::size_t kMediaKeyBytes = 32;
inline constexpr std::uint32_t kDefaultMediaChunkBytes = 1u << 20;
inline constexpr std::uint32_t kMinMediaChunkBytes = 4u << 10;
inline constexpr std::uint32_t kMaxMediaChunkBytes = 64u << 20;

using MediaKey = std::span<const unsigned char, kMediaKeyBytes>;

// A container that does not authenticate: wrong key, damaged or tampered with.
class MediaTampered : public StoreError {
public:
    explicit MediaTampered(const std::string& message) : StoreError(Kind::Io, message) {}
};

struct MediaVaultInfo {
    std::uint64_t plaintext_size = 0;  // bytes
    std::uint32_t chunk_size = 0;      // plaintext bytes per chunk
    std::string sha256;                // of the plaintext, 64 lowercase hex digits
    std::string original_name;         // the imported file's name, without its folder
    std::string file_id;               // 32 lowercase hex digits
};

// Streams `plaintext` into a new container at `container` (its folder must
// exist; an existing file there is refused, Kind::Invalid). Writes a
// temporary file (mode 0600) next to it, fsyncs it and renames it into place,
// so the container appears whole or not at all. Plaintext only ever sits in
// memory, one chunk at a time, and those buffers are wiped. Throws
// StoreError(Io) for a file that cannot be read or written.
MediaVaultInfo import_media(const std::filesystem::path& plaintext, const std::filesystem::path& container,
                            MediaKey key, std::uint32_t chunk_size = kDefaultMediaChunkBytes);

// Reads a container at any offset, decrypting whole chunks and keeping the
// last one (so the player's small sequential reads cost one decryption per
// chunk). Opening checks the header, the sealed metadata (so a wrong key is
// found at once) and the file's size. Safe to read from several threads (one
// lock around the chunk cache).
class MediaVaultReader final : public ByteSource {
public:
    // Throws MediaTampered (wrong key, damaged file), StoreError(NotAttune) for
    // a file that is not a container, StoreError(NewerSchema) for a newer
    // format version, StoreError(Io) when it cannot be read.
    MediaVaultReader(const std::filesystem::path& container, MediaKey key);
    ~MediaVaultReader() override;
    MediaVaultReader(const MediaVaultReader&) = delete;
    MediaVaultReader& operator=(const MediaVaultReader&) = delete;

    std::uint64_t size() const override { return info_.plaintext_size; }
    // Throws MediaTampered naming the chunk when one fails authentication.
    std::size_t read(std::uint64_t offset, void* buffer, std::size_t n) override;

    const MediaVaultInfo& info() const { return info_; }
    // Decrypts every chunk and compares the plaintext's SHA-256 with the one
    // sealed in the header; throws MediaTampered if either fails.
    void verify();
    // How many chunks have been decrypted so far (the cache's hit rate).
    std::uint64_t chunks_decrypted() const;

private:
    void load_chunk(std::uint64_t index);  // into cache_; mutex_ held
    std::uint32_t chunk_length(std::uint64_t index) const;

    std::filesystem::path path_;
    int fd_ = -1;
    std::array<unsigned char, kMediaKeyBytes> key_{};  // wiped on destruction
    std::array<unsigned char, 16> file_id_{};
    MediaVaultInfo info_;
    std::uint64_t data_start_ = 0;  // file offset of chunk 0
    std::uint64_t chunk_count_ = 0;

    mutable std::mutex mutex_;
    std::uint64_t cached_index_ = UINT64_MAX;  // none
    std::vector<unsigned char> cache_;         // plaintext of chunk cached_index_; wiped on destruction
    std::vector<unsigned char> sealed_;        // read buffer for one sealed chunk
    std::uint64_t chunks_decrypted_ = 0;
};

// SHA-256 of a file's bytes as 64 lowercase hex digits (a recording linked in
// place is identified by it). Throws StoreError(Io) when it cannot be read.
std::string sha256_file_hex(const std::filesystem::path& path);

}  // namespace attune::store
