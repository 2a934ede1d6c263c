// export_excerpts.h: excerpts of a case's recordings as text
// (`attune export --format excerpts`, and the case summary's "Excerpts"):
// each with its stage, session, recording (name and SHA-256), media times
// and the codes inside it, a basis for a certification submission.
#pragma once

#include <string>
#include <vector>

#include "formats/export_data.h"

namespace attune::formats {

// Plain text, one block per excerpt; times on the recording as h:mm:ss.mmm.
std::string format_excerpts(const ExcerptExportData& data);

// One line per excerpt for the case summary: "Stage 2, session 3 (2026-03-10):
// "Softening", media 00:05:00.000-00:25:00.000 (20:00), 14 codes: ...".
std::vector<std::string> excerpt_summary_lines(const std::vector<ExcerptData>& excerpts);

}  // namespace attune::formats
