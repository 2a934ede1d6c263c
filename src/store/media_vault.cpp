// media_vault.cpp: the encrypted recording container (format in media_vault.h).
//
// Index:
// [SECTION] Format constants and little helpers
// [SECTION] Import
// [SECTION] Reader
#include "store/media_vault.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include "store/security.h"

namespace attune::store {

namespace fs = std::filesystem;

// [SECTION] Format constants and little helpers

namespace {

constexpr char kMagic[8] = {'A', 'T', 'T', 'M', 'E', 'D', 'I', 'A'};
constexpr std::uint32_t kFormatVersion = 1;
constexpr std::size_t kPublicHeaderBytes = 44;
constexpr std::size_t kTagBytes = crypto_aead_xchacha20poly1305_ietf_ABYTES;
constexpr std::size_t kNonceBytes = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
constexpr std::size_t kFileIdBytes = 16;
constexpr std::size_t kMaxNameBytes = 1024;
constexpr std::uint64_t kMetadataNonceIndex = UINT64_MAX;  // never a chunk index
static_assert(kNonceBytes == kFileIdBytes + 8);
static_assert(crypto_aead_xchacha20poly1305_ietf_KEYBYTES == kMediaKeyBytes);

using FileId = std::array<unsigned char, kFileIdBytes>;

void ensure_sodium() {
    if (sodium_init() < 0) throw StoreError(StoreError::Kind::Io, "The encryption library (libsodium) did not start.");
}

void put_u16(unsigned char* at, std::uint16_t v) {
    for (int i = 0; i < 2; ++i)
        at[i] = static_cast<unsigned char>(v >> (8 * i));
}
void put_u32(unsigned char* at, std::uint32_t v) {
    for (int i = 0; i < 4; ++i)
        at[i] = static_cast<unsigned char>(v >> (8 * i));
}
void put_u64(unsigned char* at, std::uint64_t v) {
    for (int i = 0; i < 8; ++i)
        at[i] = static_cast<unsigned char>(v >> (8 * i));
}
std::uint16_t get_u16(const unsigned char* at) {
    return static_cast<std::uint16_t>(at[0] | (at[1] << 8));
}
std::uint32_t get_u32(const unsigned char* at) {
    std::uint32_t v = 0;
    for (int i = 3; i >= 0; --i)
        v = (v << 8) | at[i];
    return v;
}
std::uint64_t get_u64(const unsigned char* at) {
    std::uint64_t v = 0;
    for (int i = 7; i >= 0; --i)
        v = (v << 8) | at[i];
    return v;
}

std::array<unsigned char, kNonceBytes> nonce_for(const FileId& id, std::uint64_t index) {
    std::array<unsigned char, kNonceBytes> nonce{};
    std::memcpy(nonce.data(), id.data(), kFileIdBytes);
    put_u64(nonce.data() + kFileIdBytes, index);
    return nonce;
}

// Binds a chunk to its container, its place and whether it is the last one.
std::array<unsigned char, kFileIdBytes + 9> chunk_ad(const FileId& id, std::uint64_t index, bool final) {
    std::array<unsigned char, kFileIdBytes + 9> ad{};
    std::memcpy(ad.data(), id.data(), kFileIdBytes);
    put_u64(ad.data() + kFileIdBytes, index);
    ad[kFileIdBytes + 8] = final ? 1 : 0;
    return ad;
}

std::uint64_t chunk_count_for(std::uint64_t plaintext_size, std::uint32_t chunk_size) {
    return plaintext_size == 0 ? 1 : (plaintext_size + chunk_size - 1) / chunk_size;
}

std::string hex(const unsigned char* bytes, std::size_t n) {
    std::string out(n * 2 + 1, '\0');
    sodium_bin2hex(out.data(), out.size(), bytes, n);
    out.pop_back();
    return out;
}

std::string errno_text() {
    return std::strerror(errno);
}

// Reads until `n` bytes or end of file; returns how many.
std::size_t read_full(int fd, unsigned char* buffer, std::size_t n, const fs::path& path) {
    std::size_t got = 0;
    while (got < n) {
        const ssize_t r = ::read(fd, buffer + got, n - got);
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) throw StoreError(StoreError::Kind::Io, "Cannot read " + path.string() + ": " + errno_text() + ".");
        if (r == 0) break;
        got += static_cast<std::size_t>(r);
    }
    return got;
}

std::size_t pread_full(int fd, unsigned char* buffer, std::size_t n, std::uint64_t offset, const fs::path& path) {
    std::size_t got = 0;
    while (got < n) {
        const ssize_t r = ::pread(fd, buffer + got, n - got, static_cast<off_t>(offset + got));
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) throw StoreError(StoreError::Kind::Io, "Cannot read " + path.string() + ": " + errno_text() + ".");
        if (r == 0) break;
        got += static_cast<std::size_t>(r);
    }
    return got;
}

void write_full(int fd, const unsigned char* data, std::size_t n, const fs::path& path) {
    std::size_t done = 0;
    while (done < n) {
        const ssize_t w = ::write(fd, data + done, n - done);
        if (w < 0 && errno == EINTR) continue;
        if (w < 0) throw StoreError(StoreError::Kind::Io, "Cannot write " + path.string() + ": " + errno_text() + ".");
        done += static_cast<std::size_t>(w);
    }
}

// A file descriptor closed on scope exit.
class Fd {
public:
    explicit Fd(int fd) : fd_(fd) {}
    ~Fd() {
        if (fd_ >= 0) ::close(fd_);
    }
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    int get() const { return fd_; }
    int release() { return std::exchange(fd_, -1); }

private:
    int fd_;
};

// A buffer that may hold plaintext: wiped when it goes.
class WipedBuffer {
public:
    explicit WipedBuffer(std::size_t n) : bytes_(n) {}
    ~WipedBuffer() { sodium_memzero(bytes_.data(), bytes_.size()); }
    WipedBuffer(const WipedBuffer&) = delete;
    WipedBuffer& operator=(const WipedBuffer&) = delete;
    unsigned char* data() { return bytes_.data(); }
    std::size_t size() const { return bytes_.size(); }

private:
    std::vector<unsigned char> bytes_;
};

}  // namespace

// [SECTION] Import

MediaVaultInfo import_media(const fs::path& plaintext, const fs::path& container, MediaKey key,
                            std::uint32_t chunk_size) {
    ensure_sodium();
    if (chunk_size < kMinMediaChunkBytes || chunk_size > kMaxMediaChunkBytes)
        throw StoreError(StoreError::Kind::Invalid, "A media chunk size must be between 4 KiB and 64 MiB.");
    std::error_code ec;
    if (fs::exists(container, ec))
        throw StoreError(StoreError::Kind::Invalid, "Cannot import a recording to " + container.string() +
                                                        ": a file of that name already exists.");

    Fd in(::open(plaintext.c_str(), O_RDONLY | O_CLOEXEC));
    if (in.get() < 0)
        throw StoreError(StoreError::Kind::Io,
                         "Cannot open the recording " + plaintext.string() + ": " + errno_text() + ".");
    struct stat st {};
    if (::fstat(in.get(), &st) != 0 || !S_ISREG(st.st_mode))
        throw StoreError(StoreError::Kind::Io, "The recording " + plaintext.string() + " is not a regular file.");

    MediaVaultInfo info;
    info.chunk_size = chunk_size;
    info.original_name = plaintext.filename().string();
    if (info.original_name.size() > kMaxNameBytes) info.original_name.resize(kMaxNameBytes);
    FileId file_id{};
    randombytes_buf(file_id.data(), file_id.size());
    info.file_id = hex(file_id.data(), file_id.size());

    const std::size_t metadata_plain_bytes = 32 + 2 + info.original_name.size();
    const std::size_t metadata_sealed_bytes = metadata_plain_bytes + kTagBytes;
    const std::uint64_t data_start = kPublicHeaderBytes + metadata_sealed_bytes;

    // mkostemp creates the file with mode 0600.
    std::string temp_name =
        (container.parent_path() / ("." + container.filename().string() + ".partial-XXXXXX")).string();
    Fd out(::mkostemp(temp_name.data(), O_CLOEXEC));
    if (out.get() < 0)
        throw StoreError(StoreError::Kind::Io,
                         "Cannot write into " + container.parent_path().string() + ": " + errno_text() + ".");
    const fs::path temp(temp_name);
    try {
        // The header is written last, when the size and the hash are known.
        const std::vector<unsigned char> placeholder(data_start, 0);
        write_full(out.get(), placeholder.data(), placeholder.size(), temp);

        crypto_hash_sha256_state sha;
        crypto_hash_sha256_init(&sha);
        WipedBuffer first(chunk_size);
        WipedBuffer second(chunk_size);
        unsigned char* current = first.data();
        unsigned char* next = second.data();
        std::vector<unsigned char> sealed(std::size_t{chunk_size} + kTagBytes);
        std::size_t current_len = read_full(in.get(), current, chunk_size, plaintext);
        for (std::uint64_t index = 0;; ++index) {
            // Reading one chunk ahead tells whether this one is the last.
            const std::size_t next_len =
                current_len == chunk_size ? read_full(in.get(), next, chunk_size, plaintext) : 0;
            const bool final = next_len == 0;
            crypto_hash_sha256_update(&sha, current, current_len);
            const auto nonce = nonce_for(file_id, index);
            const auto ad = chunk_ad(file_id, index, final);
            unsigned long long sealed_len = 0;
            crypto_aead_xchacha20poly1305_ietf_encrypt(sealed.data(), &sealed_len, current, current_len, ad.data(),
                                                       ad.size(), nullptr, nonce.data(), key.data());
            write_full(out.get(), sealed.data(), static_cast<std::size_t>(sealed_len), temp);
            info.plaintext_size += current_len;
            if (final) break;
            std::swap(current, next);
            current_len = next_len;
        }
        unsigned char digest[crypto_hash_sha256_BYTES];
        crypto_hash_sha256_final(&sha, digest);
        info.sha256 = hex(digest, sizeof digest);

        std::vector<unsigned char> header(data_start);
        std::memcpy(header.data(), kMagic, sizeof kMagic);
        put_u32(header.data() + 8, kFormatVersion);
        put_u32(header.data() + 12, chunk_size);
        put_u64(header.data() + 16, info.plaintext_size);
        std::memcpy(header.data() + 24, file_id.data(), kFileIdBytes);
        put_u32(header.data() + 40, static_cast<std::uint32_t>(metadata_sealed_bytes));
        std::vector<unsigned char> metadata(metadata_plain_bytes);
        std::memcpy(metadata.data(), digest, sizeof digest);
        put_u16(metadata.data() + 32, static_cast<std::uint16_t>(info.original_name.size()));
        std::memcpy(metadata.data() + 34, info.original_name.data(), info.original_name.size());
        const auto nonce = nonce_for(file_id, kMetadataNonceIndex);
        crypto_aead_xchacha20poly1305_ietf_encrypt(header.data() + kPublicHeaderBytes, nullptr, metadata.data(),
                                                   metadata.size(), header.data(), kPublicHeaderBytes, nullptr,
                                                   nonce.data(), key.data());
        sodium_memzero(metadata.data(), metadata.size());
        if (::lseek(out.get(), 0, SEEK_SET) != 0)
            throw StoreError(StoreError::Kind::Io, "Cannot write " + temp.string() + ": " + errno_text() + ".");
        write_full(out.get(), header.data(), header.size(), temp);
        if (::fsync(out.get()) != 0)
            throw StoreError(StoreError::Kind::Io, "Cannot flush " + temp.string() + " to disk: " + errno_text() + ".");
        if (::close(out.release()) != 0)
            throw StoreError(StoreError::Kind::Io, "Cannot write " + temp.string() + ": " + errno_text() + ".");
        durable_rename(temp, container);
    } catch (...) {
        ::unlink(temp.c_str());
        throw;
    }
    return info;
}

// [SECTION] Reader

MediaVaultReader::MediaVaultReader(const fs::path& container, MediaKey key) : path_(container) {
    ensure_sodium();
    std::memcpy(key_.data(), key.data(), key_.size());
    fd_ = ::open(container.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd_ < 0) {
        sodium_memzero(key_.data(), key_.size());
        throw StoreError(StoreError::Kind::Io,
                         "Cannot open the recording " + container.string() + ": " + errno_text() + ".");
    }
    try {
        const std::string where = "The recording " + container.string();
        unsigned char head[kPublicHeaderBytes];
        if (pread_full(fd_, head, sizeof head, 0, path_) != sizeof head ||
            std::memcmp(head, kMagic, sizeof kMagic) != 0)
            throw StoreError(StoreError::Kind::NotAttune, where + " is not an encrypted Attune recording.");
        if (get_u32(head + 8) != kFormatVersion)
            throw StoreError(StoreError::Kind::NewerSchema, where + " was written by a newer version of Attune.");
        info_.chunk_size = get_u32(head + 12);
        info_.plaintext_size = get_u64(head + 16);
        std::memcpy(file_id_.data(), head + 24, kFileIdBytes);
        info_.file_id = hex(file_id_.data(), file_id_.size());
        const std::uint32_t metadata_sealed_bytes = get_u32(head + 40);
        const std::string damaged = where + " is damaged or was altered (or the key is wrong); it cannot be played.";
        if (info_.chunk_size < kMinMediaChunkBytes || info_.chunk_size > kMaxMediaChunkBytes ||
            metadata_sealed_bytes < 34 + kTagBytes || metadata_sealed_bytes > 34 + kMaxNameBytes + kTagBytes ||
            info_.plaintext_size > (UINT64_MAX >> 2))
            throw MediaTampered(damaged);
        data_start_ = kPublicHeaderBytes + metadata_sealed_bytes;
        chunk_count_ = chunk_count_for(info_.plaintext_size, info_.chunk_size);
        struct stat st {};
        if (::fstat(fd_, &st) != 0)
            throw StoreError(StoreError::Kind::Io, "Cannot read " + container.string() + ": " + errno_text() + ".");
        const std::uint64_t expected = data_start_ + info_.plaintext_size + chunk_count_ * kTagBytes;
        if (static_cast<std::uint64_t>(st.st_size) != expected)
            throw MediaTampered(where + " is cut short or has bytes added; it cannot be played.");

        std::vector<unsigned char> sealed(metadata_sealed_bytes);
        if (pread_full(fd_, sealed.data(), sealed.size(), kPublicHeaderBytes, path_) != sealed.size())
            throw MediaTampered(damaged);
        std::vector<unsigned char> metadata(metadata_sealed_bytes - kTagBytes);
        const auto nonce = nonce_for(file_id_, kMetadataNonceIndex);
        if (crypto_aead_xchacha20poly1305_ietf_decrypt(metadata.data(), nullptr, nullptr, sealed.data(), sealed.size(),
                                                       head, sizeof head, nonce.data(), key_.data()) != 0)
            throw MediaTampered(damaged);
        info_.sha256 = hex(metadata.data(), 32);
        const std::uint16_t name_len = get_u16(metadata.data() + 32);
        if (34u + name_len != metadata.size()) throw MediaTampered(damaged);
        info_.original_name.assign(reinterpret_cast<const char*>(metadata.data() + 34), name_len);
    } catch (...) {
        sodium_memzero(key_.data(), key_.size());
        ::close(fd_);
        throw;
    }
    cache_.resize(info_.chunk_size);
    sealed_.resize(std::size_t{info_.chunk_size} + kTagBytes);
}

MediaVaultReader::~MediaVaultReader() {
    sodium_memzero(key_.data(), key_.size());
    sodium_memzero(cache_.data(), cache_.size());
    if (fd_ >= 0) ::close(fd_);
}

std::uint32_t MediaVaultReader::chunk_length(std::uint64_t index) const {
    const std::uint64_t start = index * info_.chunk_size;
    return static_cast<std::uint32_t>(std::min<std::uint64_t>(info_.chunk_size, info_.plaintext_size - start));
}

void MediaVaultReader::load_chunk(std::uint64_t index) {
    if (index == cached_index_) return;
    cached_index_ = UINT64_MAX;
    const std::size_t sealed_len = std::size_t{chunk_length(index)} + kTagBytes;
    const std::uint64_t at = data_start_ + index * (std::uint64_t{info_.chunk_size} + kTagBytes);
    const std::string damaged = "The recording " + path_.string() + " is damaged or was altered at chunk " +
                                std::to_string(index + 1) + " of " + std::to_string(chunk_count_) +
                                "; playback stopped.";
    if (pread_full(fd_, sealed_.data(), sealed_len, at, path_) != sealed_len) throw MediaTampered(damaged);
    const auto nonce = nonce_for(file_id_, index);
    const auto ad = chunk_ad(file_id_, index, index + 1 == chunk_count_);
    if (crypto_aead_xchacha20poly1305_ietf_decrypt(cache_.data(), nullptr, nullptr, sealed_.data(), sealed_len,
                                                   ad.data(), ad.size(), nonce.data(), key_.data()) != 0)
        throw MediaTampered(damaged);
    cached_index_ = index;
    ++chunks_decrypted_;
}

std::size_t MediaVaultReader::read(std::uint64_t offset, void* buffer, std::size_t n) {
    std::lock_guard lock(mutex_);
    auto* out = static_cast<unsigned char*>(buffer);
    std::size_t copied = 0;
    while (copied < n && offset < info_.plaintext_size) {
        const std::uint64_t index = offset / info_.chunk_size;
        load_chunk(index);
        const std::size_t within = static_cast<std::size_t>(offset - index * info_.chunk_size);
        const std::size_t take = std::min<std::size_t>(n - copied, chunk_length(index) - within);
        std::memcpy(out + copied, cache_.data() + within, take);
        copied += take;
        offset += take;
    }
    return copied;
}

void MediaVaultReader::verify() {
    std::lock_guard lock(mutex_);
    crypto_hash_sha256_state sha;
    crypto_hash_sha256_init(&sha);
    for (std::uint64_t index = 0; index < chunk_count_; ++index) {
        load_chunk(index);
        crypto_hash_sha256_update(&sha, cache_.data(), chunk_length(index));
    }
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_final(&sha, digest);
    if (hex(digest, sizeof digest) != info_.sha256)
        throw MediaTampered("The recording " + path_.string() + " does not match the hash sealed in it.");
}

std::uint64_t MediaVaultReader::chunks_decrypted() const {
    std::lock_guard lock(mutex_);
    return chunks_decrypted_;
}

std::string sha256_file_hex(const fs::path& path) {
    ensure_sodium();
    Fd in(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (in.get() < 0)
        throw StoreError(StoreError::Kind::Io, "Cannot open " + path.string() + ": " + errno_text() + ".");
    crypto_hash_sha256_state sha;
    crypto_hash_sha256_init(&sha);
    std::vector<unsigned char> buffer(1u << 20);
    while (const std::size_t got = read_full(in.get(), buffer.data(), buffer.size(), path)) {
        crypto_hash_sha256_update(&sha, buffer.data(), got);
        if (got < buffer.size()) break;
    }
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_final(&sha, digest);
    return hex(digest, sizeof digest);
}

}  // namespace attune::store
