// keys.h: key codes as ImGui 1.86 sees them. Its GLFW backend indexes
// io.KeysDown by GLFW key code, so these are GLFW's values (letters and
// digits are their upper-case ASCII). The headless test fixture feeds the
// same codes. An ImGui upgrade to the 1.87+ key API changes only this file.
#pragma once

#include <imgui.h>

namespace attune::ui::keys {

constexpr int kSpace = 32;
constexpr int kApostrophe = 39;
constexpr int kComma = 44;
constexpr int kPeriod = 46;
constexpr int kEscape = 256;
constexpr int kEnter = 257;
constexpr int kTab = 258;
constexpr int kBackspace = 259;
constexpr int kDelete = 261;
constexpr int kRight = 262;
constexpr int kLeft = 263;
constexpr int kDown = 264;
constexpr int kUp = 265;
constexpr int kF1 = 290;
constexpr int kF5 = 294;
constexpr int kF8 = 297;
constexpr int kKeypadEnter = 335;
constexpr int kLeftAlt = 342;  // alone: ImGui moves the keyboard to the menu bar

constexpr int letter(char lower_case) {
    return lower_case - 'a' + 'A';
}
constexpr int digit(int d) {
    return '0' + d;
}

inline bool pressed(int key) {
    return ImGui::IsKeyPressed(key, false);
}
inline bool ctrl() {
    return ImGui::GetIO().KeyCtrl;
}
inline bool shift() {
    return ImGui::GetIO().KeyShift;
}
inline bool alt() {
    return ImGui::GetIO().KeyAlt;
}

// Alt held with this frame's key is a shortcut, not a tap of Alt: ImGui 1.86
// moves the keyboard to the menu bar when a lone Alt is let go (keys.cpp).
void keep_alt_from_menu_bar();
// The keyboard is on the menu bar (Alt was tapped), as of the last frame.
bool menu_bar_has_keyboard();

}  // namespace attune::ui::keys
