// measures.h: couple-reported measures ("Couple-reported measures (version 2)"
// in shared DOMAIN.md): the instruments a practice can use, entering one
// administration, listing and removing them, and a case's summary. The case
// view, the End session dialog, the hand-over check-in and `attune measure`
// share these. Every function throws attune::Error with one plain sentence.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/case_metrics.h"
#include "core/instrument.h"
#include "core/measures.h"
#include "core/model.h"

namespace attune::services {

class OpenPractice;

// [SECTION] Instruments
// The shipped instrument files (assets/instruments/*.json, read once per
// process) and then the practice's own, in that order.
InstrumentCatalog instrument_catalog(OpenPractice& practice);
// Reads an instrument file and adds it to the practice, parsed and validated
// by the one instrument parser. Refused (Invalid) with the file and field
// named, or when its id is a shipped instrument's or already the practice's.
Instrument add_instrument_file(OpenPractice& practice, const std::filesystem::path& file);

// [SECTION] One administration
// Stores a measure of `measure.case_id` after checking it against its
// instrument (core measure_error, e.g. "item 3 is 7; it takes 0-5"). An empty
// date is today; `session_id`, if given, must be one of the case's sessions.
// Returns it with id, uuid and session number.
Measure add_measure(OpenPractice& practice, Measure measure);
// Replaces a stored measure's partner, instrument, date, session and scores
// with `corrected`'s, checked as add_measure checks them; the case's
// clinician only, audited. The correction travels by bundle and sync (the
// newer version wins everywhere).
Measure correct_measure(OpenPractice& practice, RowId measure_id, Measure corrected);
// Removes it; the removal travels as a tombstone (by bundle and sync).
void delete_measure(OpenPractice& practice, RowId measure_id);
// The case's measure of `partner` on `instrument_id` dated `date`, and tied to
// session `session_number` when given (how one is named at the command line):
// NotFound naming it when there is none, Invalid naming their sessions when
// there are several.
Measure find_measure(OpenPractice& practice, RowId case_id, Who partner, const std::string& instrument_id,
                     const std::string& date, std::optional<int> session_number = std::nullopt);
// A case's measures in date order, then entry order.
std::vector<Measure> list_measures(OpenPractice& practice, RowId case_id);

// [SECTION] A case's summary
// The case's measures whose date is in [from, to] (ISO dates; empty = open),
// the instruments they use and the per-instrument summary (first and latest
// total per partner, change, reliable change, clinical range, recovered).
CaseMeasures case_measures(OpenPractice& practice, RowId case_id, const std::string& from = "",
                           const std::string& to = "");

}  // namespace attune::services
