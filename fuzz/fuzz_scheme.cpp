// fuzz_scheme.cpp: the coding-scheme loader (core/scheme_json.h) on arbitrary
// text. The contract: SchemeFormatError or a scheme; a scheme that parsed
// must survive scheme_to_json and parse again to the same codes.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "core/scheme_json.h"

using namespace attune;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    CodingScheme scheme;
    try {
        scheme = parse_scheme_json(text);
    } catch (const SchemeFormatError&) {
        return 0;
    }
    const CodingScheme again = parse_scheme_json(scheme_to_json(scheme));  // throws (a bug) if the writer is wrong
    if (again.name != scheme.name || again.version != scheme.version || again.codes.size() != scheme.codes.size() ||
        again.categories.size() != scheme.categories.size())
        std::abort();
    for (std::size_t i = 0; i < scheme.codes.size(); ++i)
        if (again.codes[i].id != scheme.codes[i].id || again.codes[i].label != scheme.codes[i].label) std::abort();
    return 0;
}
