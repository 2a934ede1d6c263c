#include "ui/keys.h"

#include <imgui_internal.h>

namespace attune::ui::keys {

void keep_alt_from_menu_bar() {
    // ImGui 1.86 arms the toggle when Alt goes down alone and applies it when
    // Alt is let go; a character typed meanwhile disarms it, a digit with Alt
    // sends none. Disarmed here, the menu bar stays where it is.
    ImGui::GetCurrentContext()->NavWindowingToggleLayer = false;
}

bool menu_bar_has_keyboard() {
    const ImGuiContext& g = *ImGui::GetCurrentContext();
    return g.NavWindow && g.NavLayer == ImGuiNavLayer_Menu;
}

}  // namespace attune::ui::keys
