#include "ui/dialog.h"

#include "ui/keys.h"
#include "ui/widgets.h"

namespace attune::ui {

Modal::Modal(std::string title, ImGuiWindowFlags flags, bool close_button)
    : title_(std::move(title)), flags_(flags), close_button_(close_button) {}

void Modal::close() {
    closing_ = true;
}

void Modal::draw() {
    if (!open_requested_ && !visible_) return;  // every frame, for every dialog: nothing to build
    // "Shown###name": ImGui shows the part before ### and identifies the popup by the rest.
    const std::string name = shown_title_.empty() ? title_ : shown_title_ + "###" + title_;
    if (open_requested_) {
        open_requested_ = false;
        on_open();
        ImGui::OpenPopup(name.c_str());
        visible_ = true;
    }
    if (!visible_) return;
    if (keep_centred_)
        ImGui::SetNextWindowPos(ImGui::GetMainViewport()->GetCenter(), ImGuiCond_Always, ImVec2(0.5f, 0.5f));
    bool keep_open = true;
    if (!ImGui::BeginPopupModal(name.c_str(), close_button_ ? &keep_open : nullptr, flags_)) {
        // Closed by ImGui (the title bar's X) or never shown.
        if (visible_) on_close();
        visible_ = false;
        return;
    }
    closing_ = false;
    draw_content();
    // Escape cancels every dialog the same way (unless a combo's list above has it).
    if (closing_ || !keep_open || escape_cancels()) {
        on_close();
        visible_ = false;
        ImGui::CloseCurrentPopup();
    }
    ImGui::EndPopup();
}

ToolWindow::ToolWindow(std::string title, float width_em, float max_width_fraction)
    : title_(std::move(title)), width_em_(width_em), max_width_fraction_(max_width_fraction) {}

void ToolWindow::open() {
    on_open();
    open_ = true;
    focus_ = true;
}

void ToolWindow::draw() {
    if (!open_) return;
    if (!can_show()) {
        open_ = false;
        return;
    }
    const bool shown = begin_tool_window(title_.c_str(), &open_, width_em_, max_width_fraction_, focus_);
    if (shown) {
        if (ImGui::IsWindowFocused(ImGuiFocusedFlags_RootAndChildWindows) && keys::pressed(keys::kEscape) &&
            !ImGui::IsPopupOpen("", ImGuiPopupFlags_AnyPopupId))
            open_ = false;
        draw_content();
    }
    ImGui::End();
}

}  // namespace attune::ui
