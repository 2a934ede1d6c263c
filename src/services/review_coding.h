// review_coding.h: coding a session after it happened, as a rater: a
// supervisor or research coder coding it as a second rater, or the clinician
// coding a session that was not coded live. The one place for it, with or
// without a recording: the time of a press is the session second the
// recording shows (through its pause map: inside a pause, the pause's start),
// or, with no recording, the reading of a replay clock the rater plays,
// pauses and moves (core/replay_clock.h).
//
// Presses go through the store's SessionLogger like live ones (committed
// before they are shown; one the disk refused stays pending and is retried),
// attributed to the person signed in: their own layer of the session. States
// are per rater: a press stops only this rater's running state.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/model.h"
#include "core/records.h"
#include "core/replay_clock.h"
#include "core/scheme.h"

namespace attune::services {

class OpenPractice;
class RecordingPlayer;

class ReviewCoding {
public:
    explicit ReviewCoding(OpenPractice& practice);
    ~ReviewCoding();
    ReviewCoding(const ReviewCoding&) = delete;
    ReviewCoding& operator=(const ReviewCoding&) = delete;

    // Starts coding `session_id` as the person signed in, the replay clock at
    // `start_seconds`. Throws attune::Error (NotFound).
    void begin(RowId session_id, double start_seconds = 0);
    // Closes this rater's running states at now() and stops.
    void finish(double wall_now);
    bool active() const { return session_id_ != 0; }
    RowId session_id() const { return session_id_; }
    RowId rater_id() const { return rater_id_; }

    // [SECTION] Time
    // The recording to take the time from while it is open; nullptr: the replay clock.
    void follow(const RecordingPlayer* player) { player_ = player; }
    bool follows_recording() const;
    // The session second a press now is logged at; empty on a recording before
    // the session clock's 0 (nothing can be coded there).
    std::optional<double> now(double wall_now) const;
    ReplayClock& replay_clock() { return replay_; }
    const ReplayClock& replay_clock() const { return replay_; }

    // [SECTION] Coding
    // The user's hotkeys (Settings), laid over the scheme's own.
    void set_hotkeys(const HotkeyOverrides& hotkeys);
    const CodingScheme& scheme() const { return scheme_; }
    const Code* code_for_key(char letter, Who who) const;
    const Code* code(const std::string& code_id) const;
    // Logs `code` for `who` at now(). Throws attune::Error when there is no
    // session time to log at, or the store refuses the press on its merits;
    // a write the disk refused comes back Pending and is retried by tick().
    LogOutcome press(Who who, const Code& code, double wall_now);
    std::optional<Observation> undo_last();
    void stop_all_states(double wall_now);
    // Retries pending presses (every few seconds).
    void tick(double wall_now);
    std::size_t pending_count() const;

    // [SECTION] This rater's layer (read after each write and when the data changed)
    const std::vector<Observation>& layer() const;  // not deleted, in time order
    std::vector<const Observation*> running_states() const;

private:
    void reload();
    void sync();

    OpenPractice& practice_;
    RowId session_id_ = 0;
    RowId rater_id_ = 0;
    CodingScheme stored_scheme_;
    CodingScheme scheme_;
    HotkeyOverrides hotkeys_;
    const RecordingPlayer* player_ = nullptr;
    ReplayClock replay_;
    struct Logger;  // the store's SessionLogger (review_coding.cpp)
    std::unique_ptr<Logger> logger_;
    std::vector<Observation> layer_;
    std::uint64_t seen_version_ = 0;
    double last_retry_ = 0;
};

}  // namespace attune::services
