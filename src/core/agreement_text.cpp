#include "core/agreement_text.h"

#include <cmath>
#include <cstdio>

namespace attune {

std::string kappa_interpretation(std::optional<double> kappa) {
    if (!kappa || !std::isfinite(*kappa)) return "kappa undefined";
    const double k = std::round(*kappa * 100) / 100;
    const char* band = k < 0       ? "poor"
                       : k <= 0.20 ? "slight"
                       : k <= 0.40 ? "fair"
                       : k <= 0.60 ? "moderate"
                       : k <= 0.80 ? "substantial"
                                   : "almost perfect";
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

std::string_view kappa_methods_text() {
    return "Attune's kappa is event-based: each observation one rater coded is paired with the other rater's "
           "nearest observation of the same person within the tolerance, and kappa is computed over those pairs; "
           "an observation without a partner counts as a disagreement with 'none'. Time when neither rater coded "
           "anything does not count.\n"
           "BORIS's kappa is time-slice based: the coded span is cut into slices of S seconds, and each slice is "
           "one item per person, compared by what each rater had going on then. Slices where neither rater coded "
           "anything count as agreement, so on sparse coding BORIS's kappa is higher: two raters who code the "
           "same moments with different codes get a negative kappa in Attune and a positive one in BORIS.";
}

}  // namespace attune
