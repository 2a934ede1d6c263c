// review_recording.h: the review's recording panel. The session's recording
// played by services::RecordingPlayer and drawn through the window's
// VideoSurface (ui/video_surface.h); its controls (play/pause, speed
// 0.25x-4x, one frame back and forward, -5/-1/+1/+5 s); two raters' layers
// moving under the picture in step with it; the offset and sync mark;
// excerpts marked on it; and linking a recording to the session.
//
// Data is read from the services in refresh() only (the session or the data
// version changed). The player is asked for its state every frame
// (process_events(), no query); a paused player sends nothing, so the review
// then asks for no frame (next_redraw_in() < 0).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/model.h"
#include "core/recordings.h"
#include "core/scheme.h"
#include "services/recordings.h"
#include "ui/app_model.h"
#include "ui/dialog.h"

namespace attune::services {
class RecordingPlayer;
}

namespace attune::ui {

// One rater's layer drawn under the picture.
struct RaterLane {
    std::string name;
    std::vector<const Observation*> observations;  // in time order
};

class ReviewRecording {
public:
    explicit ReviewRecording(AppModel& model);
    ~ReviewRecording();
    ReviewRecording(const ReviewRecording&) = delete;
    ReviewRecording& operator=(const ReviewRecording&) = delete;

    // Reads the session's recording when the session or the data changed, and
    // opens it in the player (once per recording).
    void refresh(const Case& c, const Session& session);
    // Drops the player (the practice locks, the view goes).
    void close();

    bool has_recording() const { return recording_.has_value(); }
    // The recording is open in the player.
    bool playing_field() const;
    services::RecordingPlayer* player() { return player_.get(); }
    // The session second shown; empty without an open recording or before the clock's 0.
    std::optional<double> session_position() const;
    void seek_session(double session_seconds);
    void toggle_play();

    // [SECTION] Drawing (one call each per frame)
    // The picture with the two raters' layers under it (left) and the
    // controls (right), `height` pixels high; a one-line bar without a recording.
    void draw(const std::vector<RaterLane>& lanes, const CodingScheme& scheme, float height);
    // The observation chosen for a sync mark (the review's list selects it).
    void set_sync_observation(const Observation* o);
    // F5 / Ctrl+Space play and pause, Ctrl+Left/Right -/+1 s (with Shift 5 s),
    // comma and full stop one frame back and forward, Ctrl+M the sync mark.
    void handle_keys();
    // The link dialog (drawn from the view every frame).
    void draw_dialogs();

    double next_redraw_in() const;
    // Opening or seeking, or a frame not yet drawn (screenshots wait for it).
    bool busy() const;
    // The session's excerpts (for the view's timeline).
    const std::vector<Excerpt>& excerpts() const { return excerpts_; }

private:
    void open_player();
    void draw_picture(const std::vector<RaterLane>& lanes, const CodingScheme& scheme, float width, float height);
    void draw_lanes(const std::vector<RaterLane>& lanes, const CodingScheme& scheme, float width);
    void draw_controls();
    void draw_sync();
    void draw_excerpts();
    void draw_excerpt_marking();
    void sync_mark();
    void draw_link_content(ViewModal& dialog);

    AppModel& model_;
    AppModel::LockHook lock_hook_;
    Case case_;
    Session session_;
    std::uint64_t version_ = 0;
    RowId loaded_session_ = 0;
    std::optional<Recording> recording_;
    std::vector<Excerpt> excerpts_;  // of this session's recording
    std::unique_ptr<services::RecordingPlayer> player_;
    std::string opened_uuid_;  // the recording open in the player
    std::string error_;        // why it could not be opened
    std::string sync_code_;    // the observation chosen for a sync mark: its code, who and time
    std::optional<double> sync_session_s_;
    // Excerpt being marked (media seconds).
    std::optional<double> mark_start_, mark_stop_;
    std::string excerpt_name_;
    int excerpt_stage_ = 0;  // the combo's index: stage 1
    float offset_input_ = 0;
    // What the person signed in may change (read when the session loads).
    services::RecordingRights rights_;
    // The link dialog.
    std::string link_path_;
    bool link_in_place_ = false;
    bool link_new_session_ = false;
    float link_offset_ = 0;
    ViewModal link_dialog_{"Link a recording", [this](ViewModal& d) { draw_link_content(d); }};
};

}  // namespace attune::ui
