// secret.h: memory for secrets (passphrases, data keys, secret signing keys).
//
// A secret lives in exactly one buffer that libsodium allocates apart from the
// heap (sodium_malloc: guard pages around it, locked in RAM so it is not
// swapped out) and that is zeroed (sodium_memzero) before it is freed. The
// types are move-only: a second copy exists only where someone wrote clone().
// A moved-from secret is empty. Equality compares in constant time.
//
// Whatever hands a secret over in an ordinary std::string or char array (an
// environment variable, a file read, ImGui's edit buffer) should copy it in
// with SecretString::take / wipe_buffer and wipe the ordinary copy at once.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace attune {

class SecretBytes {
public:
    SecretBytes() = default;  // empty, owns nothing
    // `size` zero bytes. Throws std::bad_alloc when libsodium cannot allocate.
    explicit SecretBytes(std::size_t size);
    // A secret copy of `bytes` (e.g. a key just decrypted into a stack array,
    // which the caller then wipes).
    static SecretBytes copy_of(std::span<const std::uint8_t> bytes);

    ~SecretBytes();
    SecretBytes(SecretBytes&& other) noexcept;
    SecretBytes& operator=(SecretBytes&& other) noexcept;
    SecretBytes(const SecretBytes&) = delete;
    SecretBytes& operator=(const SecretBytes&) = delete;

    // The only way to make a second copy: spelled out where it happens.
    SecretBytes clone() const;
    // Zeroes every byte; the size stays (the buffer is still owned).
    void wipe();
    // Zeroes and frees: afterwards empty().
    void reset();

    std::size_t size() const { return size_; }
    bool empty() const { return size_ == 0; }
    std::span<const std::uint8_t> view() const { return {data_, size_}; }
    std::span<std::uint8_t> mutable_view() { return {data_, size_}; }
    const std::uint8_t* data() const { return data_; }
    std::uint8_t* data() { return data_; }

    // Constant time in the size; secrets of different sizes are unequal.
    bool operator==(const SecretBytes& other) const;

private:
    std::uint8_t* data_ = nullptr;
    std::size_t size_ = 0;
};

// A passphrase or other secret text (UTF-8, not interpreted). The buffer keeps
// a terminating NUL after the characters for C APIs that need one.
class SecretString {
public:
    SecretString() = default;
    // Copies `text` in; the caller wipes its own copy (or uses take()).
    explicit SecretString(std::string_view text);
    // Copies `source` in and wipes it (its characters and spare capacity).
    static SecretString take(std::string& source);
    // Copies the first `length` characters of a C buffer in and wipes the whole
    // buffer of `capacity` bytes (e.g. an ImGui InputText buffer).
    static SecretString take(char* buffer, std::size_t length, std::size_t capacity);

    SecretString(SecretString&&) noexcept = default;
    SecretString& operator=(SecretString&&) noexcept = default;
    SecretString(const SecretString&) = delete;
    SecretString& operator=(const SecretString&) = delete;

    SecretString clone() const;
    void wipe();   // every character becomes NUL; the length stays
    void reset();  // wiped and freed: afterwards empty()

    std::size_t size() const { return bytes_.empty() ? 0 : bytes_.size() - 1; }
    bool empty() const { return size() == 0; }
    std::string_view view() const;
    const char* c_str() const;  // "" when empty
    std::span<const std::uint8_t> bytes() const { return bytes_.view().first(size()); }

    bool operator==(const SecretString& other) const;  // constant time in the length

private:
    SecretBytes bytes_;  // the characters, then one NUL; empty when the string is empty
};

// Zeroes a std::string's characters and spare capacity, then empties it (its
// capacity stays, so nothing is reallocated and left behind).
void wipe_string(std::string& text);
// Zeroes `size` bytes at `buffer` in a way the compiler cannot drop.
void wipe_buffer(void* buffer, std::size_t size);

}  // namespace attune
