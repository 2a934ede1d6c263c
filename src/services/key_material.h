// key_material.h: a secret (a passphrase today) held in memory that is
// locked (never swapped out) and wiped: allocated with libsodium's
// sodium_malloc, zeroed with sodium_memzero when wiped or released.
//
// There is exactly one long-lived copy of an open practice's key material:
// the one services::OpenPractice owns. Worker threads ask the practice for a
// connection instead of keeping a copy, and locking wipes it.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string_view>

namespace attune::services {

class KeyMaterial {
public:
    KeyMaterial() = default;
    // Copies `text` into locked memory; the caller wipes its own copy.
    explicit KeyMaterial(std::string_view text);
    ~KeyMaterial();
    KeyMaterial(KeyMaterial&& other) noexcept;
    KeyMaterial& operator=(KeyMaterial&& other) noexcept;
    KeyMaterial(const KeyMaterial&) = delete;
    KeyMaterial& operator=(const KeyMaterial&) = delete;

    // The first line of `file` (a trailing CR dropped), read straight into
    // locked memory. Throws attune::Error (Invalid) for an unreadable or empty file.
    static KeyMaterial from_file(const std::filesystem::path& file);
    // $ATTUNE_PASSPHRASE, else empty.
    static KeyMaterial from_environment();

    bool empty() const { return size_ == 0; }
    std::size_t size() const { return size_; }
    // A view of the secret for handing it to SQLCipher's key API; valid until
    // the next wipe(). Never store it.
    std::string_view view() const;
    // Zeroes the bytes; the buffer stays allocated (and zero) until destruction.
    void wipe();
    // The buffer itself, zeroed or not, for the tests that prove wiping.
    const unsigned char* data_for_tests() const { return data_; }
    std::size_t capacity_for_tests() const { return capacity_; }

private:
    void release();
    unsigned char* data_ = nullptr;
    std::size_t size_ = 0;
    std::size_t capacity_ = 0;
};

}  // namespace attune::services
