// excerpts.h: excerpts of a session's recording (DOMAIN.md: a named media
// interval [start, stop) with an EFT stage 1-3), what a supervisor or a
// certification review looks at. Listed per case; `attune export --format
// excerpts` and the case summary show them with the codes inside (export.h).
// Throws attune::Error with one plain sentence.
#pragma once

#include <string>
#include <vector>

#include "core/model.h"
#include "core/recordings.h"

namespace attune::services {

class OpenPractice;

struct ExcerptRequest {
    double media_start = 0;  // media seconds on the session's recording
    double media_stop = 0;
    int stage = 1;
    std::string name;
};

// Marks an excerpt of the session's recording. Invalid when the session has no
// recording or the interval does not fit it (core/recordings.h, excerpt_problem). Audited.
Excerpt add_excerpt(OpenPractice& practice, const Session& s, const ExcerptRequest& request);
// The case's excerpts by session date, then media start.
std::vector<Excerpt> list_excerpts(OpenPractice& practice, RowId case_id);

}  // namespace attune::services
