// instrument_json.h: the instrument file format (JSON), parsed strictly.
// Pure: text in, instrument out; io reads the files from assets/instruments/
// and the practice's own folder.
//
// Format "attune-instrument", format_version 1 (see assets/instruments/*.json):
//   {"format":"attune-instrument", "format_version":1, "id":"csi4", "name":"...",
//    "validated":true, "item_count":4, "score_decimals":0,
//    "items":[{"min":0,"max":6,"text":"..."?}, ...], "higher_is_better":true,
//    "total":{"min":0,"max":21}, "clinical_cutoff":13.5 | "not defined",
//    "reliable_change":{"threshold_points":5} | {"sd":x,"reliability":r} | "not defined",
//    "direct_total":false, "alliance_flag_below":36?, "notes":"..."?,
//    "instructions":"..."?, "anchors":[{"score":0,"label":"..."}]?}
// Keys marked ? are optional; every other key is required and an unknown key
// is an error (a misspelt optional key must not be silently ignored).
#pragma once

#include <string_view>

#include "core/instrument.h"

namespace attune {

inline constexpr const char* kInstrumentFormat = "attune-instrument";
inline constexpr int kInstrumentFormatVersion = 1;
// Larger files, or JSON nested deeper, are refused before parsing: the format
// needs 3 levels and a few kilobytes (csi16 is under 2 KB).
inline constexpr size_t kMaxInstrumentFileBytes = 256 * 1024;
inline constexpr int kMaxInstrumentJsonDepth = 8;

// Throws InstrumentFormatError naming the field that is wrong.
Instrument parse_instrument_json(std::string_view text);

}  // namespace attune
