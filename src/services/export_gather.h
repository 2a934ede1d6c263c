// export_gather.h: private to src/services. What an export needs, read from
// the store into formats/export_data.h's structs (export.cpp's step 1).
// Throws attune::Error.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "formats/export_data.h"
#include "services/supervision.h"
#include "store/database.h"

namespace attune::services::detail {

formats::SessionNoteData gather_session_note(store::Database& db, const Case& c, const Session& s,
                                             bool include_private);
formats::CaseSummaryData gather_case_summary(store::Database& db, const Case& c, const std::string& from,
                                             const std::string& to);
// One session, or every session of the case whose date is in [from, to].
// clinician_only: only the case clinician's layer (one coding per session, as
// the BORIS export needs); otherwise every rater's observations.
formats::ObservationExportData gather_observations(store::Database& db, const Case& c,
                                                   std::optional<int> session_number, const std::string& from,
                                                   const std::string& to, bool clinician_only);
// The BORIS project's data: one session (or those whose date is in [from,
// to]) with every rater's layer, the clinician's first.
formats::BorisExportData gather_boris(store::Database& db, const Case& c, std::optional<int> session_number,
                                      const std::string& from, const std::string& to);

// A signature as checked, in the plain words the formatters print
// (services::signature_line prints the same).
formats::SignatureLine signature_line_of(const SignatureCheck& check);
// The signatures of a session, checked now: what an exported note or summary shows.
std::vector<formats::SignatureLine> checked_signatures(OpenPractice& practice, RowId session_id);

}  // namespace attune::services::detail
