// review_coding_panel.h: coding a session in the review, as a rater
// (services::ReviewCoding): the same partner selector, code pad and keys as
// the live session; the time of a press is the session second the recording
// shows or, without a recording, the replay clock's, which this panel plays,
// pauses and moves.
#pragma once

#include <optional>

#include "core/model.h"
#include "services/review_coding.h"
#include "ui/app_model.h"
#include "ui/session_parts.h"

namespace attune::services {
class RecordingPlayer;
}

namespace attune::ui {

class ReviewCodingPanel {
public:
    explicit ReviewCodingPanel(AppModel& model);

    bool active() const { return coding_ && coding_->active(); }
    // The button that starts coding (as the person signed in) or stops it, and its label.
    std::string toggle_label() const;
    void draw_toggle(const Session& session, services::RecordingPlayer* player, double wall_now);
    // Partner selector, code pad, running states, and the replay clock's
    // controls when there is no recording. Call only while active().
    void draw(const Case& c, double wall_now);
    // 1-4 choose who, letters log codes, Ctrl+Z undoes, F8 stops this rater's
    // states; without a recording F5 / Ctrl+Space plays and pauses the replay clock.
    void handle_keys(double wall_now);
    // Follows the recording while it is open (every frame), else the replay clock.
    void follow(services::RecordingPlayer* player);

    // The session second a press now would be logged at.
    std::optional<double> now(double wall_now) const;
    // Moves the replay clock (a click on the timeline without a recording).
    void seek(double session_seconds, double wall_now);
    bool replay_running() const;
    // The replay clock ticks while it runs; nothing otherwise.
    double next_redraw_in() const;
    // Stops coding (closing this rater's running states), e.g. another session opens.
    void stop(double wall_now);
    RowId session_id() const { return active() ? coding_->session_id() : 0; }

private:
    void log(Who who, const Code& code, double wall_now);

    AppModel& model_;
    std::unique_ptr<services::ReviewCoding> coding_;
    Who active_ = Who::A;
    CodePad pad_;
    std::uint64_t hotkeys_version_ = 0;
    AppModel::LockHook lock_hook_;
};

}  // namespace attune::ui
