// media_internal.h: private to src/services. The practice's recordings
// counted on any connection (a backup's worker has its own).
#pragma once

#include <filesystem>

#include "services/recordings.h"
#include "store/database.h"

namespace attune::services::detail {

MediaSummary media_summary_on(store::Database& db, const std::filesystem::path& folder);

}  // namespace attune::services::detail
