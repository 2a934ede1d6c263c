// case_summary_process.h: the version-2 parts of a case summary in words, the
// same for text, Markdown and the PDF (export_text.h's describe_case fills
// them into CaseSummaryText): couple-reported measures, the sequences between
// the partners pooled over the period, and the confirmed change events.
// Pure functions over export_data.h's structs.
#pragma once

#include <string>
#include <vector>

#include "formats/export_data.h"

namespace attune::formats {

// One line per instrument and partner with a total, e.g. "ORS (Outcome
// Rating Scale), Ben (B): 30 on 2026-03-01, 24 on 2026-03-15 (change -6);
// reliably deteriorated; latest in the clinical range (below the cut-off 25)."
std::vector<std::string> measure_lines(const CaseSummaryData& data);

// The pooled lag-1 pairs with |z| >= 1.96, and what followed an attachment
// signal (the pursue->withdraw chart's context).
std::vector<std::string> sequence_lines(const CaseSummaryData& data);

// Every confirmed change event by session, and how many candidates are still
// undecided.
std::vector<std::string> change_event_lines(const CaseSummaryData& data);

}  // namespace attune::formats
