// fuzz_settings.cpp: the settings parser (io/settings.h) on arbitrary text.
// The contract: SettingsError or valid settings that serialize and parse back
// to the same values.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "io/settings.h"

using namespace attune;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    io::Settings settings;
    try {
        settings = io::parse_settings(text);
    } catch (const io::SettingsError&) {
        return 0;
    }
    io::validate_settings(settings);  // throws (a bug) if the parser let an invalid value through
    if (io::parse_settings(io::serialize_settings(settings)) != settings) std::abort();
    return 0;
}
