// export_tables.h: the data exports for analysis outside Attune: observations
// as CSV and JSON and per-session metrics as CSV. BORIS's project and table
// are formats/boris_write.h.
//
// Pure functions over export_data.h structs. CSV quoting follows RFC 4180
// (fields with a comma, quote, CR or LF are quoted; quotes doubled; CRLF
// line ends). Numbers are written with up to 3 decimals, no value = empty cell.
#pragma once

#include <string>

#include "formats/export_data.h"

namespace attune::formats {

std::string observations_csv(const ObservationExportData& data);
std::string observations_json(const ObservationExportData& data);
std::string session_metrics_csv(const CaseSummaryData& data);

// RFC 4180 field quoting (exposed for tests).
std::string csv_field(const std::string& text);

}  // namespace attune::formats
