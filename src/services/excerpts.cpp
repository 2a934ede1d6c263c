#include "services/excerpts.h"

#include "core/text.h"
#include "services/cases.h"
#include "services/media_internal.h"
#include "services/practice_access.h"
#include "store/repositories.h"

namespace attune::services {

Excerpt add_excerpt(OpenPractice& practice, const Session& s, const ExcerptRequest& request) {
    detail::case_for_session(practice, s, detail::kMarksExcerpts, "mark an excerpt on");
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
    const auto c = get_case(practice, case_id);
    if (!c) return {};
    std::vector<Excerpt> out;
    for (Excerpt& e : store::RecordingRepository(database_of(practice)).excerpts_for_case(case_id))
        if (may_see_session(practice, *c, e.session_id)) out.push_back(std::move(e));
    return out;
}

}  // namespace attune::services
