// widgets.h: small widgets every view uses.
#pragma once

#include <imgui.h>

#include <string>

#include "core/palette.h"

namespace attune::ui {

// ImGui::InputText over a std::string (resizes as the user types).
bool input_text(const char* label, std::string& text, ImGuiInputTextFlags flags = 0);
// Escape leaves a multi-line field keeping its text (ImGui's own Escape puts the
// text back as it was when the field was entered: a note would lose what was typed).
bool input_text_multiline(const char* label, std::string& text, ImVec2 size, ImGuiInputTextFlags flags = 0);
// A coloured chip: a small filled rounded rectangle with a label.
void chip(const char* text, Rgba color);
// The width chip(text, ...) takes.
float chip_width(const char* text);
// Help marker "(?)" with a tooltip.
void help_marker(const char* text);
// TextDisabled that wraps at the column's right edge instead of running off it.
void text_disabled_wrapped(const std::string& text);
// A heading in the bold font.
void heading(const char* text);
// A tool window over the view (coding guide, audit trail): centred and sized
// `width_em` font sizes wide (at most 90-95 % of the screen) and 85 % high when
// it appears; focused once when `focus` is set (then cleared). Like ImGui::Begin,
// call ImGui::End() whatever it returns.
bool begin_tool_window(const char* title, bool* open, float width_em, float max_width_fraction, bool& focus);

// [SECTION] Dialog keys
// ImGui 1.86 moves a keyboard cursor with Tab (text and number fields) and the
// arrow keys (every item) and presses the item under it with Space; Enter and
// Escape are left to the dialog. Every dialog handles them with these, so that
// they behave the same everywhere.

// Call right after BeginChild: while the keyboard rests on the parent window
// itself (at start, or after a click on its margin), not on its menu bar nor
// in another window, this child takes it. Otherwise Tab and the arrows reach
// nothing until the view has been clicked once.
void take_keyboard_from_parent();
// Puts the keyboard into the next field on the frame the window appears, so
// that typing goes there at once (call just before the field).
void focus_here_on_appearing();
// A button that Enter presses too while it has the keyboard cursor (as Space
// does); that Enter then confirms nothing else.
bool dialog_button(const char* label, ImVec2 size = ImVec2(0, 0));
// A field or button has done its own thing with this frame's Enter (a
// homework line added): enter_confirms() is false for it.
void enter_handled();
// Enter confirms the dialog: pressed while no field is being edited, no
// popup (a combo's list) is open above it and nothing else took it. A one-line
// field lets go of the keyboard on Enter, so "type, then Enter" confirms; in a
// multi-line field Enter is a new line. Call after the fields and buttons.
bool enter_confirms();
// Escape cancels the dialog at once, also from inside a field (Cancel drops
// every field's edit anyway), unless a popup above it (a combo's list) has it.
bool escape_cancels();

// Moves the keyboard cursor (navigation) to the item just drawn, shown, so
// that Enter or Space presses it (a dialog's next step after a preview).
void keyboard_to_last_item();

// Layout of a row of controls that must not run off the window (issue 18
// item 14): the next item goes on the same line when `next_width` still fits
// after the last item, else it starts a new line. Call instead of SameLine.
void same_line_if_fits(float next_width);
// The width a button (or SmallButton: the same padding across) with `label` takes.
float button_width(const char* label);

}  // namespace attune::ui
