// session_parts.h: the pieces the session view is drawn from, one file each
// (code_pad.cpp, live_timeline.cpp, session_notes.cpp). All read a
// LiveSession and send commands to it; none touches the database directly.
#pragma once

#include <string>

#include "services/live_session.h"
#include "ui/dialog.h"

namespace attune::ui {

using services::DebouncedNote;
using services::LiveSession;

// [SECTION] code_pad.cpp
// Four big toggles (1 A, 2 B, 3 both, 4 therapist); the active one is filled.
void draw_partner_selector(Who& active, const Case& case_info);
// Every code as a button grouped by category; returns the code clicked, if any.
// Partner codes are disabled while the therapist is active (their letters then
// mean the therapist's codes) and vice versa.
const Code* draw_code_pad(const LiveSession& live, Who active);
// Running state events with elapsed time and a Stop button each.
void draw_running_states(LiveSession& live, double wall_now);
// "Partner A" style name for a Who of this case.
std::string who_name(const Case& case_info, Who who);

// [SECTION] live_timeline.cpp
// Three lanes (A, B, therapist; `both` on both partner lanes), the last ~5 minutes.
void draw_live_timeline(const LiveSession& live, double now_seconds, float height);

// The latest observations (newest first) with per-row Edit and Delete.
class ObservationList {
public:
    // `sealed`: the session is signed; its observations are shown, not changed.
    void draw(LiveSession& live, float height, bool sealed);

private:
    void draw_edit_content(LiveSession& live, ViewModal& dialog);
    void draw_delete_content(LiveSession& live, ViewModal& dialog);

    Observation editing_;
    std::string edit_comment_;
    int edit_intensity_ = 0;  // 0 = none
    Observation deleting_;
    LiveSession* live_ = nullptr;  // the session of the frame being drawn
    ViewModal edit_dialog_{"Edit observation", [this](ViewModal& d) { draw_edit_content(*live_, d); }};
    ViewModal delete_dialog_{"Delete observation?", [this](ViewModal& d) { draw_delete_content(*live_, d); }};
};

// [SECTION] session_notes.cpp
// DAP progress note and, in a separate marked box, the private process notes.
// `sealed`: the session is signed, its progress note read-only (an addendum
// in the review corrects it); the private process note is not part of it.
void draw_session_notes(LiveSession& live, double wall_now, bool sealed);

}  // namespace attune::ui
