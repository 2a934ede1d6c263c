// text_file.h: reading a small text file of outside input (a settings,
// coding scheme, instrument or public key file) whole, but never more than
// its format's limit: a file larger than that (or a device that never ends)
// is refused after max_bytes + 1 bytes, before its parser sees it.
#pragma once

#include <cstddef>
#include <filesystem>
#include <stdexcept>
#include <string>

namespace attune::formats {

// "cannot read F" or "F is larger than N KB".
class TextFileError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

std::string read_small_text_file(const std::filesystem::path& file, std::size_t max_bytes);

}  // namespace attune::formats
