// export_tables.h: the data exports for analysis outside Attune: observations
// as CSV and JSON, per-session metrics, couple-reported measures and lag-1
// sequences as CSV. BORIS's project and table are formats/boris_write.h.
//
// Pure functions over export_data.h structs. CSV quoting follows RFC 4180
// (fields with a comma, quote, CR or LF are quoted; quotes doubled; CRLF
// line ends). Numbers are written with up to 3 decimals, no value = empty cell.
#pragma once

#include <string>
#include <string_view>

#include "formats/export_data.h"

namespace attune::formats {

std::string observations_csv(const ObservationExportData& data);
std::string observations_json(const ObservationExportData& data);
// One row per session, with its change-event candidates and confirmed ones.
std::string session_metrics_csv(const CaseSummaryData& data);
// One row per administration: items separated by ';' (a missing item empty),
// the total (empty without one), clinical and alliance flag (yes, no, empty).
std::string measures_csv(const CaseSummaryData& data);
// The lag-1 2 x 2 table of every pair, per session and direction, then the
// sessions pooled (session "pooled"); Q and z empty where none.
std::string sequences_csv(const CaseSummaryData& data);

// RFC 4180 field quoting (exposed for tests).
std::string csv_field(const std::string& text);

// Spreadsheets run a cell that begins with '=', '+', '-', '@', a tab or a
// carriage return as a formula (OWASP's CSV injection rule): such a cell is
// given a leading apostrophe, so it reads as the text it is. A plain decimal
// number ("-0.25") is not a formula and is left as it is. Every CSV and TSV
// cell Attune writes passes through here.
std::string neutralise_formula(std::string text);
bool is_plain_number(std::string_view text);

}  // namespace attune::formats
