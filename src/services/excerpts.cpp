#include "services/excerpts.h"

#include "core/text.h"
#include "services/practice_access.h"
#include "store/repositories.h"

namespace attune::services {

Excerpt add_excerpt(OpenPractice& practice, const Session& s, const ExcerptRequest& request) {
    store::RecordingRepository recordings(database_of(practice));
    const auto recording = recordings.for_session(s.id);
    if (!recording)
        throw Error(Error::Kind::Invalid, "session " + std::to_string(s.number) +
                                              " has no recording to mark an excerpt on (attune recording add)");
    if (const std::string problem = excerpt_problem(request.name, request.stage, request.media_start,
                                                    request.media_stop, recording->duration_seconds);
        !problem.empty())
        throw Error(Error::Kind::Invalid, problem);
    Excerpt e;
    e.recording_id = recording->id;
    e.name = trim(request.name);
    e.stage = request.stage;
    e.media_start = request.media_start;
    e.media_stop = request.media_stop;
    return recordings.add_excerpt(std::move(e));
}

std::vector<Excerpt> list_excerpts(OpenPractice& practice, RowId case_id) {
    return store::RecordingRepository(database_of(practice)).excerpts_for_case(case_id);
}

}  // namespace attune::services
