#include "ui/settings_view.h"

#include "ui/app_model.h"
#include "ui/keys.h"
#include "ui/theme.h"

#include <imgui.h>

#include <cstring>

namespace attune::ui {

void SettingsDialog::begin_editing() {
    editing_ = current_;
    backup_folder_.fill('\0');
    std::strncpy(backup_folder_.data(), current_.backup_folder.c_str(), backup_folder_.size() - 1);
    error_.clear();
}

bool SettingsDialog::apply() {
    io::Settings wanted = editing_;
    wanted.backup_folder = backup_folder_.data();
    try {
        io::save_settings(wanted, io::settings_path());
    } catch (const io::SettingsError& e) {
        error_ = e.what();
        return false;
    } catch (const std::exception& e) {
        error_ = std::string("cannot save the settings: ") + e.what();
        return false;
    }
    current_ = wanted;
    applied_ = wanted;
    error_.clear();
    model_.info("Settings saved to " + io::settings_path().string());
    return true;
}

std::optional<io::Settings> SettingsDialog::take_applied() {
    std::optional<io::Settings> out;
    out.swap(applied_);
    return out;
}

void SettingsDialog::draw() {
    if (open_requested_) {
        begin_editing();
        ImGui::OpenPopup("Settings");
        open_requested_ = false;
    }
    if (!ImGui::BeginPopupModal("Settings", nullptr, ImGuiWindowFlags_AlwaysAutoResize)) return;
    const float label_width = ImGui::GetFontSize() * 12;
    const float field_width = ImGui::GetFontSize() * 18;
    auto label = [&](const char* text) {
        ImGui::AlignTextToFramePadding();
        ImGui::TextUnformatted(text);
        ImGui::SameLine(label_width);
        ImGui::SetNextItemWidth(field_width);
    };

    ImGui::PushFont(fonts().bold);
    ImGui::TextUnformatted("Appearance");
    ImGui::PopFont();
    label("Theme");
    int theme = static_cast<int>(editing_.theme);
    if (ImGui::Combo("##theme", &theme, "Light\0Dark\0High contrast\0"))
        editing_.theme = static_cast<io::Theme>(theme);
    label("Font size (pixels)");
    ImGui::SliderFloat("##font_size", &editing_.font_size, io::kMinFontSize, io::kMaxFontSize, "%.0f");

    ImGui::Spacing();
    ImGui::PushFont(fonts().bold);
    ImGui::TextUnformatted("Privacy");
    ImGui::PopFont();
    label("Auto-lock (minutes)");
    ImGui::InputInt("##auto_lock_minutes", &editing_.auto_lock_minutes);
    ImGui::SameLine();
    ImGui::TextDisabled(editing_.auto_lock_minutes == 0 ? "never" : "without input");

    ImGui::Spacing();
    ImGui::PushFont(fonts().bold);
    ImGui::TextUnformatted("Backups");
    ImGui::PopFont();
    label("Folder");
    ImGui::InputTextWithHint("##backup_folder", "default: the data folder's backups/", backup_folder_.data(),
                             backup_folder_.size());
    label("Backups kept");
    ImGui::InputInt("##backup_count", &editing_.backup_count);

    if (!error_.empty()) {
        ImGui::Spacing();
        ImGui::PushStyleColor(ImGuiCol_Text, readable_on_background(palette::vermillion));
        ImGui::PushTextWrapPos(label_width + field_width);
        ImGui::TextUnformatted(error_.c_str());
        ImGui::PopTextWrapPos();
        ImGui::PopStyleColor();
    }
    ImGui::Separator();
    if (ImGui::Button("Apply")) apply();
    ImGui::SameLine();
    if (ImGui::Button("Save and close") && apply()) ImGui::CloseCurrentPopup();
    ImGui::SameLine();
    if (ImGui::Button("Cancel") || keys::pressed(keys::kEscape)) ImGui::CloseCurrentPopup();
    ImGui::EndPopup();
}

}  // namespace attune::ui
