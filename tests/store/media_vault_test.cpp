#include "store/media_vault.h"

#include <sys/stat.h>

#include <algorithm>
#include <catch2/catch_test_macros.hpp>
#include <cstring>
#include <random>
#include <string_view>
#include <unordered_set>

#include "support/test_support.h"

using namespace attune;
using namespace attune::store;
namespace fs = std::filesystem;

namespace {

constexpr std::uint32_t kChunk = kMinMediaChunkBytes;  // 4096: many chunks from little data
constexpr std::size_t kPublicHeader = 44;
constexpr std::size_t kTag = 16;

std::array<unsigned char, kMediaKeyBytes> key_of(unsigned char seed) {
    std::array<unsigned char, kMediaKeyBytes> key{};
    for (std::size_t i = 0; i < key.size(); ++i)
        key[i] = static_cast<unsigned char>(seed + i * 7);
    return key;
}

std::string random_bytes(std::size_t n, unsigned seed) {
    std::mt19937 rng(seed);
    std::string out(n, '\0');
    for (char& c : out)
        c = static_cast<char>(rng() & 0xff);
    return out;
}

std::string read_all(ByteSource& source) {
    std::string out(static_cast<std::size_t>(source.size()), '\0');
    const std::size_t got = source.read(0, out.data(), out.size());
    out.resize(got);
    return out;
}

// Where chunk `index` starts in a container whose original name has `name_len` bytes.
std::size_t chunk_offset(std::size_t name_len, std::size_t index, std::uint32_t chunk = kChunk) {
    return kPublicHeader + 32 + 2 + name_len + kTag + index * (chunk + kTag);
}

struct Imported {
    fs::path plain;
    fs::path container;
    std::string bytes;
};

Imported import_random(const test::TempDir& dir, std::size_t size, const std::string& name = "take.mp4",
                       unsigned seed = 1, std::uint32_t chunk = kChunk, unsigned char key_seed = 1) {
    Imported out{dir / name, dir / (name + ".attmedia"), random_bytes(size, seed)};
    test::write_file(out.plain, out.bytes);
    import_media(out.plain, out.container, key_of(key_seed), chunk);
    return out;
}

}  // namespace

TEST_CASE("recordings of every size around the chunk boundaries read back exactly", "[media-vault]") {
    test::TempDir dir;
    const auto key = key_of(1);
    for (std::size_t size : {std::size_t{0}, std::size_t{1}, std::size_t{kChunk - 1}, std::size_t{kChunk},
                             std::size_t{kChunk + 1}, std::size_t{kChunk * 7 / 2}}) {
        CAPTURE(size);
        const auto name = "size-" + std::to_string(size) + ".wav";
        const Imported rec = import_random(dir, size, name, static_cast<unsigned>(size) + 3);
        MediaVaultReader reader(rec.container, key);
        CHECK(reader.size() == size);
        CHECK(read_all(reader) == rec.bytes);
        CHECK(reader.info().sha256 == sha256_file_hex(rec.plain));
        CHECK(reader.info().original_name == name);
        CHECK(reader.info().chunk_size == kChunk);
        const std::size_t chunks = size == 0 ? 1 : (size + kChunk - 1) / kChunk;
        // Header, sealed metadata, the data and one tag per chunk.
        CHECK(fs::file_size(rec.container) == kPublicHeader + 34 + name.size() + kTag + size + chunks * kTag);
        CHECK_NOTHROW(reader.verify());
    }
}

TEST_CASE("the SHA-256 of a known text is the published one", "[media-vault]") {
    test::TempDir dir;
    test::write_file(dir / "abc.txt", "abc");
    CHECK(sha256_file_hex(dir / "abc.txt") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST_CASE("a read at any offset returns the bytes there, short only at the end", "[media-vault]") {
    test::TempDir dir;
    const Imported rec = import_random(dir, kChunk * 7 / 2);
    MediaVaultReader reader(rec.container, key_of(1));
    std::mt19937 rng(7);
    for (int i = 0; i < 300; ++i) {
        const std::size_t offset = rng() % rec.bytes.size();
        const std::size_t n = rng() % (3 * kChunk);
        std::string got(n, '\0');
        const std::size_t read = reader.read(offset, got.data(), n);
        const std::size_t expected = std::min(n, rec.bytes.size() - offset);
        REQUIRE(read == expected);
        REQUIRE(got.substr(0, read) == rec.bytes.substr(offset, expected));
    }
    char byte = 0;
    CHECK(reader.read(rec.bytes.size(), &byte, 1) == 0);
    CHECK(reader.read(rec.bytes.size() + 100, &byte, 1) == 0);
}

TEST_CASE("small reads within one chunk decrypt it once", "[media-vault]") {
    test::TempDir dir;
    const Imported rec = import_random(dir, kChunk * 3);
    MediaVaultReader reader(rec.container, key_of(1));
    char buffer[100];
    for (std::size_t at = 0; at + 100 <= kChunk; at += 100)
        reader.read(at, buffer, 100);
    CHECK(reader.chunks_decrypted() == 1);
    reader.read(kChunk, buffer, 100);
    CHECK(reader.chunks_decrypted() == 2);
}

TEST_CASE("a recording larger than one default chunk round-trips", "[media-vault]") {
    test::TempDir dir;
    const Imported rec = import_random(dir, kDefaultMediaChunkBytes * 5 / 2, "long.mkv", 5, kDefaultMediaChunkBytes);
    MediaVaultReader reader(rec.container, key_of(1));
    CHECK(reader.info().chunk_size == kDefaultMediaChunkBytes);
    CHECK(read_all(reader) == rec.bytes);
}

TEST_CASE("the container holds no 64-byte run of the plaintext and not the file's name", "[media-vault]") {
    test::TempDir dir;
    std::string plain;
    for (int line = 0; plain.size() < kChunk * 7 / 2; ++line)
        plain += "Session 7, couple R., partner A says: you never listen to me. Line " + std::to_string(line) + "\n";
    const std::string name = "Robinson couple session 7.mp4";
    test::write_file(dir / name, plain);
    import_media(dir / name, dir / "r.attmedia", key_of(1), kChunk);
    const std::string sealed = test::read_file(dir / "r.attmedia");

    std::unordered_set<std::string_view> windows;
    for (std::size_t i = 0; i + 64 <= sealed.size(); ++i)
        windows.insert(std::string_view(sealed).substr(i, 64));
    std::size_t found = 0;
    for (std::size_t i = 0; i + 64 <= plain.size(); ++i)
        found += windows.count(std::string_view(plain).substr(i, 64));
    CHECK(found == 0);
    CHECK(sealed.find("Robinson") == std::string::npos);
    CHECK(sealed.find("you never listen") == std::string::npos);
    MediaVaultReader reader(dir / "r.attmedia", key_of(1));
    CHECK(read_all(reader) == plain);
}

TEST_CASE("the container is written owner-only and no temporary file is left", "[media-vault]") {
    test::TempDir dir;
    const Imported rec = import_random(dir, 10000);
    struct stat st {};
    REQUIRE(::stat(rec.container.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    int files = 0;
    for ([[maybe_unused]] const auto& entry : fs::directory_iterator(dir.path()))
        ++files;
    CHECK(files == 2);  // the plaintext the test wrote and the container
}

TEST_CASE("an import over an existing file or from a missing one is refused and leaves nothing", "[media-vault]") {
    test::TempDir dir;
    const Imported rec = import_random(dir, 5000);
    const auto before = test::read_file(rec.container);
    CHECK_THROWS_AS(import_media(rec.plain, rec.container, key_of(1), kChunk), StoreError);
    CHECK(test::read_file(rec.container) == before);
    CHECK_THROWS_AS(import_media(dir / "missing.mp4", dir / "missing.attmedia", key_of(1), kChunk), StoreError);
    CHECK_FALSE(fs::exists(dir / "missing.attmedia"));
    int files = 0;
    for ([[maybe_unused]] const auto& entry : fs::directory_iterator(dir.path()))
        ++files;
    CHECK(files == 2);
}

TEST_CASE("a wrong key is refused when the container is opened", "[media-vault]") {
    test::TempDir dir;
    const Imported rec = import_random(dir, 5000);
    CHECK_THROWS_AS(MediaVaultReader(rec.container, key_of(2)), MediaTampered);
}

TEST_CASE("a file that is not a container is refused as such", "[media-vault]") {
    test::TempDir dir;
    test::write_file(dir / "plain.mp4", random_bytes(5000, 3));
    try {
        MediaVaultReader reader(dir / "plain.mp4", key_of(1));
        FAIL("a plain file opened as a container");
    } catch (const MediaTampered&) {
        FAIL("a plain file reported as tampered");
    } catch (const StoreError& e) {
        CHECK(e.kind() == StoreError::Kind::NotAttune);
    }
}

TEST_CASE("a flipped byte in a chunk is refused when that chunk is read", "[media-vault]") {
    test::TempDir dir;
    const Imported rec = import_random(dir, kChunk * 3);
    std::string sealed = test::read_file(rec.container);
    sealed[chunk_offset(8, 1) + 100] ^= 0x01;
    test::write_file(rec.container, sealed);
    MediaVaultReader reader(rec.container, key_of(1));
    std::string buffer(10, '\0');
    CHECK(reader.read(0, buffer.data(), buffer.size()) == 10);  // chunk 0 is intact
    CHECK_THROWS_AS(reader.read(kChunk + 5, buffer.data(), buffer.size()), MediaTampered);
    CHECK_THROWS_AS(reader.verify(), MediaTampered);
}

TEST_CASE("a flipped byte in the header is refused when the container is opened", "[media-vault]") {
    test::TempDir dir;
    const Imported rec = import_random(dir, kChunk * 3);
    const std::string original = test::read_file(rec.container);
    // The chunk size field, the file id and the sealed metadata (the name inside it).
    for (std::size_t at : {std::size_t{13}, std::size_t{30}, kPublicHeader + 35}) {
        CAPTURE(at);
        std::string sealed = original;
        sealed[at] ^= 0x04;
        test::write_file(rec.container, sealed);
        CHECK_THROWS_AS(MediaVaultReader(rec.container, key_of(1)), MediaTampered);
    }
}

TEST_CASE("two chunks swapped are refused", "[media-vault]") {
    test::TempDir dir;
    const Imported rec = import_random(dir, kChunk * 3);
    std::string sealed = test::read_file(rec.container);
    const std::size_t one = chunk_offset(8, 0);
    const std::size_t two = chunk_offset(8, 1);
    const std::string first = sealed.substr(one, kChunk + kTag);
    sealed.replace(one, kChunk + kTag, sealed.substr(two, kChunk + kTag));
    sealed.replace(two, kChunk + kTag, first);
    test::write_file(rec.container, sealed);
    MediaVaultReader reader(rec.container, key_of(1));
    char byte = 0;
    CHECK_THROWS_AS(reader.read(0, &byte, 1), MediaTampered);
    CHECK_THROWS_AS(reader.read(kChunk, &byte, 1), MediaTampered);
}

TEST_CASE("a chunk taken from another recording under the same key is refused", "[media-vault]") {
    test::TempDir dir;
    const Imported a = import_random(dir, kChunk * 3, "a.mp4", 1);
    const Imported b = import_random(dir, kChunk * 3, "b.mp4", 2);
    std::string sealed = test::read_file(a.container);
    sealed.replace(chunk_offset(5, 1), kChunk + kTag,
                   test::read_file(b.container).substr(chunk_offset(5, 1), kChunk + kTag));
    test::write_file(a.container, sealed);
    MediaVaultReader reader(a.container, key_of(1));
    char byte = 0;
    CHECK(reader.read(0, &byte, 1) == 1);
    CHECK_THROWS_AS(reader.read(kChunk, &byte, 1), MediaTampered);
}

TEST_CASE("a truncated container is refused, also with its size field rewritten to match", "[media-vault]") {
    test::TempDir dir;
    const Imported rec = import_random(dir, kChunk * 3);
    const std::string original = test::read_file(rec.container);

    test::write_file(rec.container, original.substr(0, original.size() - 1));
    CHECK_THROWS_AS(MediaVaultReader(rec.container, key_of(1)), MediaTampered);

    // Drop the last chunk and claim a two-chunk recording: the header no longer authenticates.
    std::string cut = original.substr(0, chunk_offset(8, 2));
    const std::uint64_t shorter = kChunk * 2;
    for (int i = 0; i < 8; ++i)
        cut[16 + i] = static_cast<char>((shorter >> (8 * i)) & 0xff);
    test::write_file(rec.container, cut);
    CHECK_THROWS_AS(MediaVaultReader(rec.container, key_of(1)), MediaTampered);

    test::write_file(rec.container, original + "x");
    CHECK_THROWS_AS(MediaVaultReader(rec.container, key_of(1)), MediaTampered);
}
