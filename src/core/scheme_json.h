// scheme_json.h: the coding-scheme file format (JSON), parsed and written.
// Pure: text in, scheme out. io/scheme_file reads files.
#pragma once

#include "core/scheme.h"

#include <cstddef>
#include <stdexcept>
#include <string>

namespace attune {

// Thrown with a message that names the field, e.g. "codes[3].polarity: ...".
class SchemeFormatError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Larger files, or JSON nested deeper, are refused before parsing (the
// default scheme is under 10 KB and 4 levels deep).
inline constexpr std::size_t kMaxSchemeFileBytes = 1024 * 1024;
inline constexpr int kMaxSchemeJsonDepth = 16;

CodingScheme parse_scheme_json(const std::string& text);
std::string scheme_to_json(const CodingScheme& scheme);

}  // namespace attune
