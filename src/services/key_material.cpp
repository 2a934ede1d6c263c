#include "services/key_material.h"

#include "core/error.h"

#include <sodium.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <new>
#include <utility>

namespace attune::services {
namespace {

unsigned char* allocate(std::size_t bytes) {
    static const bool ready = sodium_init() >= 0;
    if (!ready) throw Error(Error::Kind::Io, "the cryptography library could not start");
    void* memory = sodium_malloc(bytes == 0 ? 1 : bytes);
    if (!memory) throw std::bad_alloc();
    return static_cast<unsigned char*>(memory);
}

}  // namespace

KeyMaterial::KeyMaterial(std::string_view text) {
    data_ = allocate(text.size());
    capacity_ = text.size() == 0 ? 1 : text.size();
    std::memcpy(data_, text.data(), text.size());
    size_ = text.size();
}

KeyMaterial::~KeyMaterial() { release(); }

KeyMaterial::KeyMaterial(KeyMaterial&& other) noexcept
    : data_(std::exchange(other.data_, nullptr)),
      size_(std::exchange(other.size_, 0)),
      capacity_(std::exchange(other.capacity_, 0)) {}

KeyMaterial& KeyMaterial::operator=(KeyMaterial&& other) noexcept {
    if (this != &other) {
        release();
        data_ = std::exchange(other.data_, nullptr);
        size_ = std::exchange(other.size_, 0);
        capacity_ = std::exchange(other.capacity_, 0);
    }
    return *this;
}

void KeyMaterial::release() {
    if (!data_) return;
    sodium_free(data_);  // zeroes the buffer before unmapping it
    data_ = nullptr;
    size_ = 0;
    capacity_ = 0;
}

std::string_view KeyMaterial::view() const {
    return data_ ? std::string_view(reinterpret_cast<const char*>(data_), size_) : std::string_view();
}

void KeyMaterial::wipe() {
    if (data_) sodium_memzero(data_, capacity_);
    size_ = 0;
}

KeyMaterial KeyMaterial::from_file(const std::filesystem::path& file) {
    std::FILE* in = std::fopen(file.c_str(), "rb");
    if (!in) throw Error(Error::Kind::Invalid, "cannot read the passphrase file " + file.string());
    // Read byte by byte into locked memory: no stream buffer keeps a copy.
    setvbuf(in, nullptr, _IONBF, 0);
    constexpr std::size_t kMax = 4096;
    KeyMaterial key;
    key.data_ = allocate(kMax);
    key.capacity_ = kMax;
    int c = 0;
    bool too_long = false;
    while ((c = std::fgetc(in)) != EOF && c != '\n') {
        if (key.size_ == kMax) {
            too_long = true;
            break;
        }
        key.data_[key.size_++] = static_cast<unsigned char>(c);
    }
    std::fclose(in);
    if (too_long)
        throw Error(Error::Kind::Invalid, "the first line of the passphrase file " + file.string() +
                                              " is longer than 4096 bytes: is it the right file?");
    if (key.size_ > 0 && key.data_[key.size_ - 1] == '\r') key.data_[--key.size_] = 0;
    if (key.size_ == 0) throw Error(Error::Kind::Invalid, "the passphrase file " + file.string() + " is empty");
    return key;
}

KeyMaterial KeyMaterial::from_environment() {
    const char* env = std::getenv("ATTUNE_PASSPHRASE");
    if (!env || !*env) return KeyMaterial();
    return KeyMaterial(std::string_view(env));
}

}  // namespace attune::services
