// pause_map.h: session-clock seconds <-> media seconds on a recording
// (DOMAIN.md, "Recordings (version 2)"). Pure: no I/O, no clock.
//
// media = offset + s + (wall lengths of every pause that began at a session
// second <= s). A pause is a stretch of media during which the session clock
// stood still at the second the pause began.
//
// Boundaries, with a pause of wall length w that began at session second p and
// shows on the media as [m0, m0 + w]:
//   - session -> media: p maps to m0 + w, the moment the clock moves on again
//     (the pause counts as begun at p, as the formula says); p - epsilon maps
//     just before m0.
//   - media -> session: every media second in the closed interval [m0, m0 + w]
//     maps to p; after m0 + w the clock runs again from p.
//   - media before the offset (before the clock first read 0) maps to none.
// So session -> media -> session gives s back exactly, and media -> session
// -> media gives a media second back unless it lies inside a pause, where it
// gives the pause's end.
#pragma once

#include <optional>
#include <vector>

namespace attune {

// One pause of the live session clock.
struct SessionPause {
    double session_seconds = 0;  // the session-clock second at which the pause began (>= 0)
    double wall_seconds = 0;     // how long the clock stood still, in wall-clock seconds (>= 0)
};

// A pause as it shows on the recording: media seconds [start, stop].
struct MediaPause {
    double session_seconds = 0;  // the clock's reading throughout the pause
    double media_start = 0;
    double media_stop = 0;
};

class PauseMap {
public:
    // `offset`: the media second at which the session clock read 0; negative
    // when the recording began after the clock had started. Pauses may come in
    // any order; pauses that began at the same session second count as one
    // whose length is the sum of theirs; zero-length pauses are kept and
    // change nothing. Throws std::invalid_argument for a negative or
    // non-finite pause field or a non-finite offset.
    PauseMap(std::vector<SessionPause> pauses, double offset);
    // A session coded from a recording alone: no pauses.
    explicit PauseMap(double offset) : PauseMap({}, offset) {}

    // Media second at session second `session_seconds` (>= 0, finite; throws
    // std::invalid_argument otherwise).
    double media_from_session(double session_seconds) const;
    // Session second shown at media second `media_seconds`: the pause's start
    // inside a pause, none before the offset or for a non-finite value.
    std::optional<double> session_from_media(double media_seconds) const;

    double offset() const { return offset_; }
    // Sorted by session second, one per distinct second (lengths summed).
    const std::vector<SessionPause>& pauses() const { return pauses_; }
    // Where the pauses lie on the media, in order (for shading a timeline).
    std::vector<MediaPause> media_pauses() const;

    // The offset that puts session second `session_seconds` at media second
    // `media_seconds` (a sync mark: a coded moment recognised on the recording).
    static double offset_for_sync_mark(const std::vector<SessionPause>& pauses, double session_seconds,
                                       double media_seconds);

private:
    std::vector<SessionPause> pauses_;
    // paused_before_[i]: summed wall length of pauses_[0..i), so
    // paused_before_[pauses_.size()] is the total.
    std::vector<double> paused_before_;
    double offset_ = 0;
};

}  // namespace attune
