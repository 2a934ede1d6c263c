// agreement_text.h: words for agreement results, shared by the command line
// and the supervision panel so both describe a kappa the same way.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/scheme.h"

namespace attune {

// Landis & Koch (1977) bands: below 0 "poor", 0-0.20 "slight", 0.21-0.40
// "fair", 0.41-0.60 "moderate", 0.61-0.80 "substantial", 0.81-1 "almost
// perfect", each followed by " agreement"; no kappa -> "kappa undefined".
// Band edges are compared after rounding to 2 decimals, as kappa is shown.
std::string kappa_interpretation(std::optional<double> kappa);

// "0.62", or "-" when there is no kappa.
std::string format_kappa(std::optional<double> kappa);

// A code as the agreement tables show it: its label in `scheme` ("Soft
// start-up / I-statement"), "(not coded)" for the pseudo-code `none`, and the
// stored id when the scheme does not know it.
std::string agreement_code_label(const CodingScheme& scheme, const std::string& code_id);

// How Attune's event-based kappa differs from BORIS's time-slice kappa, in a
// few sentences: `attune agreement --help` and the review panel's tooltip.
// A string literal, so data() is NUL-terminated.
std::string_view kappa_methods_text();

}  // namespace attune
