// fuzz_instrument.cpp: the instrument file reader (core/instrument_json.h) on
// arbitrary text: the files in assets/instruments/ and any a practice adds
// (`attune instrument add`). The contract: InstrumentFormatError, or an
// instrument whose items and total range are consistent.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/instrument_json.h"

using namespace attune;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    Instrument instrument;
    try {
        instrument = parse_instrument_json(text);
    } catch (const InstrumentFormatError&) {
        return 0;
    }
    if (instrument.id.empty() || instrument.items.empty()) std::abort();
    for (const auto& item : instrument.items)
        if (item.min > item.max) std::abort();
    return 0;
}
