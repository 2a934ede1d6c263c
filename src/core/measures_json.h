// measures_json.h: couple-reported measures as JSON, for `metrics --json`,
// `measure list --json` and the case exports.
#pragma once

#include <nlohmann/json.hpp>

#include "core/measures.h"

namespace attune {

// The top-level "measures" of `metrics --json`:
//   {"<instrument>": {"A": {"first":x, "latest":x, "change":x,
//                           "reliable_change":"improved"|"deteriorated"|"none"|null,
//                           "clinical":true|false|null, "recovered":true|false} | null,
//                     "B": {...} | null}}
// reliable_change is null when the instrument defines none; clinical is null
// when it has no cut-off (srs, checkin); a partner without a measure that has a
// total is null.
nlohmann::json measures_json(const std::vector<InstrumentSummary>& summaries);

// One administration, for listings:
//   {"instrument":"csi4", "partner":"A", "date":"2024-03-05", "session":n|null,
//    "items":[x|null,...], "total":x|null, "total_entered":true|false,
//    "clinical":true|false|null, "alliance_flag":true|false|null}
// `instrument` may be null (an unknown instrument): clinical and the flag are null.
nlohmann::json measure_json(const Measure& measure, const Instrument* instrument);

}  // namespace attune
