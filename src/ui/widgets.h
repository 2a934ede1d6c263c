// widgets.h: small widgets every view uses.
#pragma once

#include "core/palette.h"

#include <imgui.h>

#include <string>

namespace attune::ui {

// ImGui::InputText over a std::string (resizes as the user types).
bool input_text(const char* label, std::string& text, ImGuiInputTextFlags flags = 0);
bool input_text_multiline(const char* label, std::string& text, ImVec2 size, ImGuiInputTextFlags flags = 0);
// A coloured chip: a small filled rounded rectangle with a label.
void chip(const char* text, Rgba color);
// Help marker "(?)" with a tooltip.
void help_marker(const char* text);
// A heading in the bold font.
void heading(const char* text);
// A tool window over the view (coding guide, audit trail): centred and sized
// `width_em` font sizes wide (at most 90-95 % of the screen) and 85 % high when
// it appears; focused once when `focus` is set (then cleared). Like ImGui::Begin,
// call ImGui::End() whatever it returns.
bool begin_tool_window(const char* title, bool* open, float width_em, float max_width_fraction, bool& focus);

}  // namespace attune::ui
