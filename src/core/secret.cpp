#include "core/secret.h"

#include <sodium.h>

#include <algorithm>
#include <new>
#include <utility>

#include "core/crypto.h"

namespace attune {

// [SECTION] SecretBytes

SecretBytes::SecretBytes(std::size_t size) {
    if (size == 0) return;
    crypto::init();  // sodium_malloc needs the page size sodium_init finds
    data_ = static_cast<std::uint8_t*>(sodium_malloc(size));
    if (data_ == nullptr) throw std::bad_alloc();
    size_ = size;
    sodium_memzero(data_, size_);  // sodium_malloc fills with a non-zero pattern
}

SecretBytes SecretBytes::copy_of(std::span<const std::uint8_t> bytes) {
    SecretBytes copy(bytes.size());
    if (!bytes.empty()) std::copy(bytes.begin(), bytes.end(), copy.data_);
    return copy;
}

SecretBytes::~SecretBytes() {
    reset();
}

SecretBytes::SecretBytes(SecretBytes&& other) noexcept
    : data_(std::exchange(other.data_, nullptr)), size_(std::exchange(other.size_, 0)) {}

SecretBytes& SecretBytes::operator=(SecretBytes&& other) noexcept {
    if (this != &other) {
        reset();
        data_ = std::exchange(other.data_, nullptr);
        size_ = std::exchange(other.size_, 0);
    }
    return *this;
}

SecretBytes SecretBytes::clone() const {
    return copy_of(view());
}

void SecretBytes::wipe() {
    if (data_ != nullptr) sodium_memzero(data_, size_);
}

void SecretBytes::reset() {
    if (data_ == nullptr) return;
    // sodium_free zeroes too; wiping first keeps that promise in this file.
    sodium_memzero(data_, size_);
    sodium_free(data_);
    data_ = nullptr;
    size_ = 0;
}

bool SecretBytes::operator==(const SecretBytes& other) const {
    if (size_ != other.size_) return false;
    if (size_ == 0) return true;
    return sodium_memcmp(data_, other.data_, size_) == 0;
}

// [SECTION] SecretString

SecretString::SecretString(std::string_view text) {
    if (text.empty()) return;
    bytes_ = SecretBytes(text.size() + 1);  // zero-filled: the last byte is the NUL
    std::copy(text.begin(), text.end(), reinterpret_cast<char*>(bytes_.data()));
}

SecretString SecretString::take(std::string& source) {
    SecretString secret{std::string_view(source)};
    wipe_string(source);
    return secret;
}

SecretString SecretString::take(char* buffer, std::size_t length, std::size_t capacity) {
    SecretString secret(std::string_view(buffer, std::min(length, capacity)));
    wipe_buffer(buffer, capacity);
    return secret;
}

SecretString SecretString::clone() const {
    SecretString copy;
    copy.bytes_ = bytes_.clone();
    return copy;
}

void SecretString::wipe() {
    bytes_.wipe();
}

void SecretString::reset() {
    bytes_.reset();
}

std::string_view SecretString::view() const {
    if (bytes_.empty()) return {};
    return {reinterpret_cast<const char*>(bytes_.data()), size()};
}

const char* SecretString::c_str() const {
    return bytes_.empty() ? "" : reinterpret_cast<const char*>(bytes_.data());
}

bool SecretString::operator==(const SecretString& other) const {
    return bytes_ == other.bytes_;
}

// [SECTION] Wiping ordinary buffers

void wipe_string(std::string& text) {
    // resize() to the capacity writes into the spare bytes without reallocating,
    // so every byte the string owns is then zeroed, including the short-string buffer.
    text.resize(text.capacity());
    wipe_buffer(text.data(), text.size());
    text.clear();
}

void wipe_buffer(void* buffer, std::size_t size) {
    if (buffer != nullptr && size != 0) sodium_memzero(buffer, size);
}

}  // namespace attune
