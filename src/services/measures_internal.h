// measures_internal.h: private to src/services. The instrument catalog and a
// case's measures read on a given connection: the main one, or a caseload
// worker's (whose dashboard row needs them for the Not on track flag).
#pragma once

#include <string>

#include "core/case_metrics.h"
#include "core/instrument.h"
#include "store/database.h"

namespace attune::services::detail {

InstrumentCatalog load_instrument_catalog(store::Database& db);
CaseMeasures load_case_measures(store::Database& db, RowId case_id, const std::string& from = "",
                                const std::string& to = "");

}  // namespace attune::services::detail
