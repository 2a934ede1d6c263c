// session_parts.h: the pieces the session view is drawn from, one file each
// (code_pad.cpp, live_timeline.cpp, session_notes.cpp). All read a
// LiveSession and send commands to it; none touches the database directly.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "services/live_session.h"
#include "ui/clock_field.h"
#include "ui/dialog.h"

namespace attune::ui {

using services::DebouncedNote;
using services::LiveSession;

// [SECTION] code_pad.cpp
// Four big toggles (1 A, 2 B, 3 both, 4 therapist); the active one is filled.
// Less tall with a tight pad (CodePad::tight).
void draw_partner_selector(Who& active, const Case& case_info, bool tight = false);
// Every code as a button grouped by category; returns the code clicked, if any.
// Partner codes are disabled while the therapist is active (their letters then
// mean the therapist's codes) and vice versa. When the pad would run below the
// bottom of its window (1024 x 700, scale 2 on 1600 x 1000), its buttons get
// tighter: less padding and spacing, the same lines and letters (issue 18
// item 14); the choice is made from the height of the frame before.
class CodePad {
public:
    const Code* draw(const CodingScheme& scheme, Who active);
    bool tight() const { return tight_; }

private:
    bool tight_ = false;
};
// Running state events with elapsed time and a Stop button each.
void draw_running_states(LiveSession& live, double wall_now);
// "Partner A" style name for a Who of this case.
std::string who_name(const Case& case_info, Who who);

// [SECTION] last_press.cpp
// The row under the partner selector: the last press, its intensity (Alt+1..3)
// and quote ('). In quote mode the quote field alone, framed as a text field,
// with "Enter saves · Esc cancels"; keys type text there and log nothing. A
// quote ending in code keys ("2s4r") is followed by the offer to log them as
// codes, at the moments they were typed.
class LastPress {
public:
    struct Press {
        Who who = Who::A;
        const Code* code = nullptr;
        double wall = 0;  // when its key was typed (wall seconds)
    };

    // A press was just logged: the row shows it (and forgets any offer).
    void pressed(RowId observation_id);
    void hide();
    // The observation was undone: the row no longer shows it.
    void forget(RowId observation_id);
    // ' in the view: the quote field takes the keyboard next frame.
    void focus_quote();
    // The last press, while the row shows it.
    const Observation* observation(const LiveSession& live) const;
    void set_intensity(LiveSession& live, int value) const;
    // The keyboard is in the quote field (as of the last frame drawn).
    bool typing_quote() const { return typing_; }

    // [SECTION] The offer of code keys found in a quote
    bool offering() const { return offer_.has_value(); }
    // Shortens the quote to its words (when it was saved) and returns the
    // presses for the view to log; the offer is gone.
    std::vector<Press> accept_offer(LiveSession& live);
    void decline_offer() { offer_.reset(); }
    // The offer's button was clicked in the last frame drawn.
    bool take_accept_click() { return std::exchange(accept_clicked_, false); }

    void draw(LiveSession& live, double wall);

    // [SECTION] A line under the row that goes away after a few seconds
    // ("Undone: ...", "Leila chosen: no code on 'j'").
    static constexpr double kNoteSeconds = 5.0;
    void say(std::string text, Rgba color, double wall);
    void draw_note(double wall);
    // Seconds until the line goes; negative = no line.
    double note_due_in(double wall) const;

private:
    struct Offer {
        RowId observation_id = 0;
        std::string keys;                       // "2s4r"
        std::string described;                  // "Leila Shuts down, Therapist Reflects emotion"
        std::optional<std::string> quote_kept;  // the quote's words; empty when the quote was cancelled
        std::vector<Press> presses;
    };
    // The last press's line.
    // Where the quote field goes after the last press's line: beside it, below
    // it, or nowhere until ' is pressed.
    enum class QuoteField { Beside, Below, None };
    void draw_last(LiveSession& live, const Observation& last, QuoteField field);
    static float last_line_width(LiveSession& live, const Observation& last);
    void draw_quote_heading(LiveSession& live, const Observation& last);
    void draw_quote_field(LiveSession& live, const Observation& last, bool quote_mode, double wall);
    void draw_offer();
    std::string offer_text() const;
    void note_typing(const std::string& before, double wall);
    void offer_codes_in(const LiveSession& live, const std::string& text, bool quote_saved);

    RowId observation_id_ = 0;  // 0: the last press is not saved yet
    bool visible_ = false;
    bool focus_quote_ = false;
    bool typing_ = false;
    std::string comment_;
    std::vector<double> typed_at_;  // wall seconds each byte of comment_ was typed
    std::optional<Offer> offer_;
    bool accept_clicked_ = false;
    std::string note_;
    Rgba note_color_;
    double note_until_ = 0;  // wall seconds
};

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
    ClockField time_field_;  // the edit dialog's start and stop, as mm:ss
    ClockField stop_field_;
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
// `history`: the "History" button beside the progress note, and its dialog.
class NoteHistory;
void draw_session_notes(LiveSession& live, NoteHistory& history, double wall_now, bool sealed);

// "History" beside the progress note: every saved version (services/notes.h),
// loaded once when the dialog opens (never per frame), listed with its time
// and author; the selected one is shown to read (the newest at first).
class NoteHistory {
public:
    // The button, then the dialog (drawn every frame from the same place);
    // `load` reads the versions when the button is pressed. The live screen
    // passes its session's (which saves what is on screen first), the review
    // services::note_history.
    void draw(const std::function<std::vector<NoteVersion>()>& load);
    void draw(LiveSession& live);
    const std::vector<NoteVersion>& versions() const { return versions_; }
    int selected() const { return selected_; }

private:
    void draw_content(ViewModal& dialog);

    std::vector<NoteVersion> versions_;
    int selected_ = -1;
    ViewModal dialog_{"Note history", [this](ViewModal& d) { draw_content(d); }};
};

}  // namespace attune::ui
