#include "store/observation_rows.h"

#include "core/text.h"
#include "store/sqlite_access.h"

#include <cmath>

namespace attune::store {

const char* const kInsertObservationSql =
    "INSERT INTO observations (uuid, session_id, rater_id, t, stop, kind, who, code_id, intensity, "
    "comment, deleted, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

void bind_observation_insert(SQLite::Statement& insert, const Observation& o, const std::string& now) {
    insert.bind(1, o.uuid);
    insert.bind(2, o.session_id);
    insert.bind(3, o.rater_id);
    insert.bind(4, o.t);
    bind_optional(insert, 5, o.stop);
    insert.bind(6, std::string(to_string(o.kind)));
    insert.bind(7, std::string(to_string(o.who)));
    insert.bind(8, o.code_id);
    bind_optional(insert, 9, o.intensity);
    insert.bind(10, o.comment);
    insert.bind(11, o.deleted ? 1 : 0);
    insert.bind(12, now);
    insert.bind(13, now);
}

std::string observation_field_problem(const Observation& o) {
    if (!std::isfinite(o.t) || o.t < 0) return "an observation's time must be 0 seconds or later";
    if (o.stop && (!std::isfinite(*o.stop) || *o.stop < o.t)) return "a state event cannot stop before it starts";
    if (o.stop && o.kind == EventKind::Point) return "a point event has no stop time";
    if (o.intensity && (*o.intensity < 1 || *o.intensity > 3)) return "intensity must be 1, 2 or 3";
    if (o.comment.size() > 2000) return "a comment can have at most 2000 characters";
    if (!is_valid_utf8(o.comment)) return "the comment is not valid UTF-8 text";
    return {};
}

std::string describe_observation(const Observation& o) {
    std::string text = std::string(to_string(o.who)) + " " + o.code_id + " at " + format_number(o.t, 3) + " s";
    if (o.stop) text += " to " + format_number(*o.stop, 3) + " s";
    if (o.intensity) text += " intensity " + std::to_string(*o.intensity);
    return text;
}

}  // namespace attune::store
