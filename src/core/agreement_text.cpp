#include "core/agreement_text.h"

#include <cmath>
#include <cstdio>

namespace attune {

std::string kappa_interpretation(std::optional<double> kappa) {
    if (!kappa || !std::isfinite(*kappa)) return "kappa undefined";
    const double k = std::round(*kappa * 100) / 100;
    const char* band = k < 0 ? "poor" : k <= 0.20 ? "slight" : k <= 0.40 ? "fair" : k <= 0.60 ? "moderate"
                     : k <= 0.80 ? "substantial" : "almost perfect";
    return std::string(band) + " agreement";
}

std::string format_kappa(std::optional<double> kappa) {
    if (!kappa || !std::isfinite(*kappa)) return "-";
    char text[32];
    std::snprintf(text, sizeof text, "%.2f", *kappa);
    return text;
}

std::string agreement_code_label(const CodingScheme& scheme, const std::string& code_id) {
    if (code_id == "none") return "(not coded)";
    for (const Code& code : scheme.codes)
        if (code.id == code_id) return code.label;
    return code_id;
}

}  // namespace attune
