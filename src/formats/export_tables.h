// export_tables.h: the data exports for analysis outside Attune: observations
// as CSV and JSON, per-session metrics as CSV, and a BORIS-style aggregated
// events table (TSV) that research coders can open in BORIS and that
// `attune import boris` reads back.
//
// Pure functions over export_data.h structs. CSV quoting follows RFC 4180
// (fields with a comma, quote, CR or LF are quoted; quotes doubled; CRLF
// line ends). Numbers are written with up to 3 decimals, no value = empty cell.
#pragma once

#include "formats/export_data.h"

#include <string>
#include <string_view>

namespace attune::formats {

std::string observations_csv(const ObservationExportData& data);
std::string observations_json(const ObservationExportData& data);
std::string session_metrics_csv(const CaseSummaryData& data);
// Columns by name: Observation id, Observation date, Description, Total length,
// Subject, Behavior, Behavioral category, Behavior type, Start (s), Stop (s),
// Duration (s), Comment start. Subject: the partner's name, "Therapist", or
// empty for both partners (BORIS's "no focal subject").
std::string boris_aggregated_tsv(const ObservationExportData& data);

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
