// scheme_json.h: the coding-scheme file format (JSON), parsed and written.
// Pure: text in, scheme out. io/scheme_file reads files.
#pragma once

#include "core/scheme.h"

#include <stdexcept>
#include <string>

namespace attune {

// Thrown with a message that names the field, e.g. "codes[3].polarity: ...".
class SchemeFormatError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

CodingScheme parse_scheme_json(const std::string& text);
std::string scheme_to_json(const CodingScheme& scheme);

}  // namespace attune
