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

}  // namespace attune::ui
