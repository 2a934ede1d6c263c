#include "core/recordings.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "core/text.h"

namespace attune {

std::string_view to_string(PauseOrigin origin) {
    switch (origin) {
        case PauseOrigin::Live:
            return "live";
        case PauseOrigin::Recovered:
            return "recovered";
        case PauseOrigin::Entered:
            return "entered";
    }
    return "live";
}

std::optional<PauseOrigin> parse_pause_origin(std::string_view text) {
    for (PauseOrigin o : {PauseOrigin::Live, PauseOrigin::Recovered, PauseOrigin::Entered})
        if (to_string(o) == text) return o;
    return std::nullopt;
}

std::vector<SessionPause> pauses_for_mapping(const std::vector<PauseRecord>& records, double wall_now) {
    std::vector<SessionPause> out;
    out.reserve(records.size());
    for (const PauseRecord& r : records) {
        double wall = 0;
        if (r.wall_seconds)
            wall = *r.wall_seconds;
        else if (r.began_at)
            wall = std::max(0.0, wall_now - *r.began_at);
        out.push_back({r.session_seconds, wall});
    }
    return out;
}

std::string_view to_string(RecordingStorage storage) {
    return storage == RecordingStorage::InPlace ? "in_place" : "encrypted";
}

std::optional<RecordingStorage> parse_recording_storage(std::string_view text) {
    if (text == "encrypted") return RecordingStorage::Encrypted;
    if (text == "in_place") return RecordingStorage::InPlace;
    return std::nullopt;
}

std::string format_media_time(double seconds) {
    if (!std::isfinite(seconds)) return "-";
    const bool negative = seconds < 0;
    // Rounded to the millisecond first, so 59.9996 shows as 00:01:00.000.
    const long long total_ms = std::llround(std::abs(seconds) * 1000.0);
    const long long ms = total_ms % 1000;
    const long long s = (total_ms / 1000) % 60;
    const long long m = (total_ms / 60000) % 60;
    const long long h = total_ms / 3600000;
    char text[48];
    std::snprintf(text, sizeof text, "%s%02lld:%02lld:%02lld.%03lld", negative ? "-" : "", h, m, s, ms);
    return text;
}

std::string excerpt_problem(const std::string& name, int stage, double media_start, double media_stop,
                            double duration) {
    const std::string trimmed = trim(name);
    if (trimmed.empty()) return "an excerpt needs a name";
    if (trimmed.size() > kMaxExcerptNameBytes)
        return "an excerpt's name is at most " + std::to_string(kMaxExcerptNameBytes) + " bytes";
    if (!is_valid_utf8(trimmed)) return "the excerpt's name is not valid UTF-8 text";
    if (stage < 1 || stage > 3) return "an excerpt's stage is 1, 2 or 3";
    if (!std::isfinite(media_start) || !std::isfinite(media_stop) || media_start < 0)
        return "an excerpt starts at media second 0 or later";
    if (media_stop <= media_start) return "an excerpt must stop after it starts";
    // A millisecond of slack: durations are read back rounded.
    if (media_stop > duration + 0.001)
        return "the excerpt ends at " + format_media_time(media_stop) + ", after the recording's end (" +
               format_media_time(duration) + ")";
    return "";
}

std::vector<Observation> observations_in_media(const std::vector<Observation>& observations, const PauseMap& map,
                                               double media_start, double media_stop) {
    std::vector<Observation> out;
    for (const Observation& o : observations) {
        if (!std::isfinite(o.t) || o.t < 0) continue;
        const double media = map.media_from_session(o.t);
        if (media >= media_start && media < media_stop) out.push_back(o);
    }
    return out;
}

}  // namespace attune
