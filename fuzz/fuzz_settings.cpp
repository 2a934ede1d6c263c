// fuzz_settings.cpp: the settings parser (formats/settings_file.h) on arbitrary text.
// The contract: SettingsError or valid settings that serialize and parse back
// to the same values.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "formats/settings_file.h"

using namespace attune;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    formats::Settings settings;
    try {
        settings = formats::parse_settings(text);
    } catch (const formats::SettingsError&) {
        return 0;
    }
    formats::validate_settings(settings);  // throws (a bug) if the parser let an invalid value through
    if (formats::parse_settings(formats::serialize_settings(settings)) != settings) std::abort();
    return 0;
}
