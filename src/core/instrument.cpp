#include "core/instrument.h"

#include <cmath>
#include <utility>

#include "core/text.h"

namespace attune {

void InstrumentCatalog::add(Instrument instrument) {
    if (find(instrument.id))
        throw InstrumentFormatError("id: '" + instrument.id + "' is used by another instrument file");
    instruments_.push_back(std::move(instrument));
}

const Instrument* InstrumentCatalog::find(std::string_view id) const {
    for (const Instrument& instrument : instruments_)
        if (instrument.id == id) return &instrument;
    return nullptr;
}

bool has_decimals_at_most(double x, int decimals) {
    const double scaled = x * std::pow(10.0, decimals);
    return std::abs(scaled - std::round(scaled)) < 1e-6;
}

std::string format_range(double min, double max) {
    return format_number(min) + "-" + format_number(max);
}

}  // namespace attune
