// clock_field.h: a time field that reads and shows session-clock time the way
// the rest of the window does ("12:03", "1:02:03"), and takes what is typed as
// minutes:seconds (plain seconds too). Used wherever a person types a moment:
// a comment's time, an observation's start and stop.
#pragma once

#include <string>

namespace attune::ui {

// The field's own text between frames (one per field, kept by its view).
struct ClockField {
    std::string text;
    bool editing = false;  // the person is typing in it: the text is theirs, not the value's
    bool invalid = false;  // the last text typed was not a time: the value was kept
};

// "01:19.1" for 79.1 s: format_clock with tenths when there are any.
std::string clock_field_text(double seconds);

// Draws the field `width_em` font sizes wide. While it is not being edited it
// shows `seconds`. When the person leaves it (Enter, Tab, a click elsewhere)
// after typing, a time sets `seconds` and returns true; anything else keeps
// `seconds` and says, under the field, how to type a time.
bool input_clock(const char* label, double& seconds, ClockField& field, float width_em = 5.0f);

}  // namespace attune::ui
