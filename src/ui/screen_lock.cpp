// screen_lock: see screen_lock.h.
#include "ui/screen_lock.h"

#include <imgui.h>

#include <algorithm>
#include <utility>

#include "core/error.h"
#include "services/key_material.h"
#include "ui/dialog.h"
#include "ui/theme.h"
#include "ui/widgets.h"

namespace attune::ui {

void ScreenLock::draw() {
    if (!model_.screen_locked()) return;
    const float width = std::min(ImGui::GetContentRegionAvail().x, ImGui::GetFontSize() * 30.0f);
    ImGui::SetCursorPosX(ImGui::GetCursorPosX() + (ImGui::GetContentRegionAvail().x - width) / 2);
    ImGui::SetCursorPosY(ImGui::GetContentRegionAvail().y * 0.2f);
    ImGui::BeginGroup();
    {
        ScopedFont font(fonts().large);
        ImGui::TextUnformatted("Locked");
    }
    {
        ScopedWrap wrap(ImGui::GetCursorPosX() + width);
        ImGui::TextWrapped(
            "A live session is running: its clock keeps going and what was logged is saved. Nothing of the "
            "record is shown until the person signed in gives their passphrase.");
    }
    ImGui::Spacing();
    ImGui::TextUnformatted("Your passphrase");
    ImGui::SetNextItemWidth(width);
    if (!std::exchange(shown_, true)) ImGui::SetKeyboardFocusHere();
    const bool enter = secret_input("##screen_lock_passphrase", passphrase_, ImGuiInputTextFlags_EnterReturnsTrue);
    const bool back = ImGui::Button("Return to the session");
    ImGui::SameLine();
    const bool lock = ImGui::Button("Lock the practice");
    if (!wrong_.empty()) ImGui::TextColored(readable_on_background(palette::vermillion), "%s", wrong_.c_str());
    ImGui::EndGroup();
    if (lock) {
        passphrase_.wipe();
        wrong_.clear();
        model_.close_practice();
        model_.info("Locked.");
    } else if (back || enter) {
        try_return();
    }
}

void ScreenLock::try_return() {
    bool right = false;
    {
        const services::KeyMaterial typed(passphrase_.view());
        passphrase_.wipe();
        try {
            right = !typed.empty() && model_.practice().verify_passphrase(typed);
        } catch (const Error&) {
            right = false;
        }
    }
    if (!right) {
        wrong_ = "That is not the passphrase of the person signed in.";
        return;
    }
    wrong_.clear();
    model_.unlock_screen();
}

}  // namespace attune::ui
