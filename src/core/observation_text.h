// observation_text.h: an observation in a clinician's words, for audit rows,
// messages and tables: "Ana: Soft start-up / I-statement at 1:37". Names and
// labels, never machine ids: ids stay in the data and the exports.
#pragma once

#include <string>

#include "core/model.h"
#include "core/scheme.h"

namespace attune {

// "Ana" / "Ben" (their display names; "Partner A" when empty), "Both partners", "Therapist".
std::string who_display_name(const Case& c, Who who);

// "Ana: Soft start-up / I-statement at 1:37", with " to 2:05" for a stopped
// state event and ", intensity 2" when given. A code the scheme does not know
// is shown by its id (it cannot be hidden: it is what was stored).
std::string describe_observation(const Observation& o, const CodingScheme& scheme, const Case& c);

}  // namespace attune
