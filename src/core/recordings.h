// recordings.h: a session's recordings, their excerpts and the pauses of its
// live clock as plain records (DOMAIN.md, "Recordings (version 2)"), and the
// rules on them that every layer shares. Pure: no I/O.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/model.h"
#include "core/pause_map.h"

namespace attune {

// [SECTION] Pauses of the live clock
// Where a stored pause came from.
enum class PauseOrigin {
    Live,       // the therapist paused the clock (F5)
    Recovered,  // Attune found the session running after a crash and stopped the clock at its last saved moment
    Entered,    // typed in afterwards (`attune session pause`): a session kept on paper, or a correction
};
std::string_view to_string(PauseOrigin origin);  // "live","recovered","entered"
std::optional<PauseOrigin> parse_pause_origin(std::string_view text);

struct PauseRecord {
    RowId id = 0;
    double session_seconds = 0;          // the clock's reading throughout the pause
    std::optional<double> wall_seconds;  // its wall-clock length; empty while the clock is still paused
    std::optional<double> began_at;      // Unix seconds the clock stopped (live and recovered pauses)
    PauseOrigin origin = PauseOrigin::Live;
};

// The pauses as the pause map takes them. A pause still open counts with its
// length so far (`wall_now` - began_at): the media went on meanwhile.
std::vector<SessionPause> pauses_for_mapping(const std::vector<PauseRecord>& records, double wall_now);

// [SECTION] Recordings
enum class RecordingStorage {
    Encrypted,  // imported into the practice's media folder, encrypted (the default)
    InPlace,    // linked where it lies, unencrypted, by the user's explicit choice
};
std::string_view to_string(RecordingStorage storage);  // "encrypted","in_place"
std::optional<RecordingStorage> parse_recording_storage(std::string_view text);

struct Recording {
    RowId id = 0;
    std::string uuid;
    RowId session_id = 0;
    std::string sha256;           // of the recording's bytes (the plaintext), 64 lowercase hex digits
    double duration_seconds = 0;  // media seconds
    bool has_video = false;       // false: audio only
    double offset_seconds = 0;    // the media second at which the session clock read 0 (may be negative)
    RecordingStorage storage = RecordingStorage::Encrypted;
    // Encrypted: the container's file name inside the practice's media folder;
    // in place: the file's absolute path.
    std::string path;
    std::string original_name;  // the file's name when it was linked, without its folder
    std::uint64_t bytes = 0;    // size of the recording itself (not of its container)
    std::string created_at;     // ISO 8601 UTC
};

// "00:01:05.250" style media or session times for lists and exports: hours
// always shown, milliseconds to three places. Negative values get a "-".
std::string format_media_time(double seconds);

// [SECTION] Excerpts
struct Excerpt {
    RowId id = 0;
    std::string uuid;
    RowId recording_id = 0;
    RowId session_id = 0;  // the recording's session (read with it)
    std::string name;
    int stage = 1;           // EFT stage 1-3
    double media_start = 0;  // media seconds, inclusive
    double media_stop = 0;   // media seconds, exclusive
    std::string created_at;  // ISO 8601 UTC
};

inline constexpr std::size_t kMaxExcerptNameBytes = 200;

// Empty when an excerpt [start, stop) with this stage and name fits a
// recording of `duration` media seconds; else one sentence saying what does not.
std::string excerpt_problem(const std::string& name, int stage, double media_start, double media_stop, double duration);

// The observations whose moment lies inside media [start, stop) of a recording
// with this pause map: a state event counts at its start. Keeps the given order.
std::vector<Observation> observations_in_media(const std::vector<Observation>& observations, const PauseMap& map,
                                               double media_start, double media_stop);

}  // namespace attune
