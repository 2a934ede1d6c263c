#include "ui/settings_view.h"

#include <imgui.h>

#include <cctype>
#include <cstring>

#include "core/text.h"
#include "services/background_sync.h"
#include "services/open_practice.h"
#include "services/practice_sync.h"
#include "ui/app_model.h"
#include "ui/theme.h"
#include "ui/widgets.h"

namespace attune::ui {

void SettingsDialog::on_open() {
    editing_ = current_;
    backup_folder_.fill('\0');
    std::strncpy(backup_folder_.data(), current_.backup_folder.c_str(), backup_folder_.size() - 1);
    error_.clear();
    // The practice's scheme when one is open; its own keys are the defaults the fields start from.
    try {
        scheme_ = model_.is_open() ? model_.practice().default_scheme() : services::load_default_scheme();
    } catch (const std::exception& e) {
        scheme_ = {};
        error_ = std::string("cannot read the coding scheme: ") + e.what();
    }
    keys_.clear();
    const CodingScheme shown = with_hotkeys(scheme_, current_.hotkeys);
    for (size_t i = 0; i < scheme_.codes.size(); ++i) {
        KeyField field;
        field.code = &scheme_.codes[i];
        std::strncpy(field.key.data(), shown.codes[i].hotkey.c_str(), field.key.size() - 1);
        keys_.push_back(field);
    }
    metric_windows_.reset();
    if (model_.is_open()) model_.attempt([&] { metric_windows_ = services::metric_windows(model_.practice()); });
    server_url_stored_.reset();
    server_url_.fill('\0');
    if (model_.is_open())
        model_.attempt([&] { server_url_stored_ = services::practice_server_url(model_.practice()); });
    if (server_url_stored_) std::strncpy(server_url_.data(), server_url_stored_->c_str(), server_url_.size() - 1);
}

std::optional<HotkeyOverrides> SettingsDialog::edited_hotkeys() {
    HotkeyOverrides overrides;
    for (const KeyField& field : keys_) {
        std::string key = field.key.data();
        for (char& c : key)
            c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (!key.empty() && !is_hotkey_letter(key)) {
            error_ = "Hotkey of \"" + field.code->label + "\": use one letter a-z, or leave it empty for no key.";
            return std::nullopt;
        }
        if (key != field.code->hotkey) overrides[field.code->id] = key;
    }
    if (const auto clash = hotkey_clash(with_hotkeys(scheme_, overrides))) {
        error_ = "Hotkeys: " + *clash + ". Give one of them another letter.";
        return std::nullopt;
    }
    return overrides;
}

bool SettingsDialog::apply() {
    services::Settings wanted = editing_;
    wanted.backup_folder = backup_folder_.data();
    const auto hotkeys = edited_hotkeys();
    if (!hotkeys) return false;
    wanted.hotkeys = *hotkeys;
    if (metric_windows_) {
        if (const std::string problem = metric_settings_problem(*metric_windows_); !problem.empty()) {
            error_ = "Metric windows: " + problem;
            return false;
        }
    }
    if (!apply_practice_server()) return false;
    if (!save(wanted)) return false;
    if (metric_windows_ &&
        !model_.attempt([&] { services::save_metric_windows(model_.practice(), *metric_windows_); })) {
        error_ = "Metric windows: could not be saved (see the message below).";
        return false;
    }
    current_ = wanted;
    applied_ = wanted;
    model_.set_hotkeys(wanted.hotkeys);
    model_.set_five_to_one_reference(wanted.five_to_one_reference);
    error_.clear();
    model_.info("Settings saved to " + services::settings_path().string());
    return true;
}

bool SettingsDialog::save(const services::Settings& settings) {
    try {
        services::save_user_settings(settings);
        return true;
    } catch (const services::SettingsError& e) {
        error_ = e.what();
    } catch (const std::exception& e) {
        error_ = std::string("cannot save the settings: ") + e.what();
    }
    return false;
}

void SettingsDialog::mark_walkthrough_seen() {
    services::Settings seen = current_;
    seen.walkthrough_done = true;
    if (save(seen)) {
        current_ = seen;
    } else {
        model_.error(error_);
        error_.clear();
    }
}

bool SettingsDialog::apply_practice_server() {
    if (!server_url_stored_) return true;
    const std::string wanted = trim(server_url_.data());
    if (wanted == *server_url_stored_) return true;
    try {
        services::set_practice_server_url(model_.practice(), wanted);
    } catch (const std::exception& e) {
        error_ = std::string("Practice server: ") + e.what() + ".";
        return false;
    }
    server_url_stored_ = wanted;
    model_.restart_sync();  // syncs with the new server at once (or stops)
    return true;
}

std::optional<services::Settings> SettingsDialog::take_applied() {
    std::optional<services::Settings> out;
    out.swap(applied_);
    return out;
}

void SettingsDialog::draw_content() {
    const float label_width = ImGui::GetFontSize() * 12;
    const float field_width = ImGui::GetFontSize() * 18;
    auto label = [&](const char* text) {
        ImGui::AlignTextToFramePadding();
        ImGui::TextUnformatted(text);
        ImGui::SameLine(label_width);
        ImGui::SetNextItemWidth(field_width);
    };

    heading("Appearance");
    label("Theme");
    int theme = static_cast<int>(editing_.theme);
    if (ImGui::Combo("##theme", &theme, "Light\0Dark\0High contrast\0"))
        editing_.theme = static_cast<services::Theme>(theme);
    label("Font size (pixels)");
    ImGui::SliderFloat("##font_size", &editing_.font_size, formats::kMinFontSize, formats::kMaxFontSize, "%.0f");

    ImGui::Spacing();
    heading("Privacy");
    label("Auto-lock (minutes)");
    ImGui::InputInt("##auto_lock_minutes", &editing_.auto_lock_minutes);
    ImGui::SameLine();
    ImGui::TextDisabled(editing_.auto_lock_minutes == 0 ? "never" : "without input");
    label("During a live session");
    ImGui::Checkbox("Lock the practice too##lock_during_session", &editing_.lock_during_session);
    ImGui::SameLine();
    ImGui::TextDisabled(editing_.lock_during_session ? "(the clock keeps running)"
                                                     : "(else only the screen locks; the clock keeps running)");

    ImGui::Spacing();
    heading("Backups");
    label("Folder");
    ImGui::InputTextWithHint("##backup_folder", "default: the data folder's backups/", backup_folder_.data(),
                             backup_folder_.size());
    label("Backups kept");
    ImGui::InputInt("##backup_count", &editing_.backup_count);

    ImGui::Spacing();
    heading("Charts and exports");
    label("Positive-to-negative");
    ImGui::Checkbox("Show the 5 : 1 reference line##five_to_one", &editing_.five_to_one_reference);
    ImGui::SameLine();
    ImGui::TextDisabled("(Gottman, conflict discussions; not an EFT norm)");

    draw_metric_windows();
    draw_practice_server();
    draw_hotkeys();

    if (!error_.empty()) {
        ImGui::Spacing();
        ScopedColor red(ImGuiCol_Text, readable_on_background(palette::vermillion));
        ScopedWrap wrap(label_width + field_width);
        ImGui::TextUnformatted(error_.c_str());
    }
    ImGui::Separator();
    if (dialog_button("Apply")) apply();
    ImGui::SameLine();
    const bool save = dialog_button("Save and close");
    ImGui::SameLine();
    if (dialog_button("Cancel"))
        close();
    else if ((save || enter_confirms()) && apply())
        close();
}

void SettingsDialog::draw_metric_windows() {
    if (!metric_windows_) return;
    const float label_width = ImGui::GetFontSize() * 12;
    const float field_width = ImGui::GetFontSize() * 18;
    ImGui::Spacing();
    heading("Metric windows (this practice)");
    const auto window = [&](const char* text, const char* id, double& seconds, const char* meaning) {
        ImGui::AlignTextToFramePadding();
        ImGui::TextUnformatted(text);
        ImGui::SameLine(label_width);
        ImGui::SetNextItemWidth(field_width * 0.4f);
        ImGui::InputDouble(id, &seconds, 0, 0, "%.0f s");
        ImGui::SameLine();
        ImGui::TextDisabled("%s", meaning);
    };
    window("Repair window", "##repair_window", metric_windows_->repair_window_s,
           "a repair this soon after a rupture counts");
    window("Cycle window", "##cycle_window", metric_windows_->cycle_window_s,
           "pursue then withdraw within this is a cycle");
    window("Answer window", "##answer_window", metric_windows_->answer_window_s,
           "an attachment signal answered within this");
    ImGui::TextDisabled("Each window is %s.", metric_window_rule_text().c_str());
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted("Counted session");
    ImGui::SameLine(label_width);
    ImGui::SetNextItemWidth(field_width * 0.4f);
    ImGui::InputDouble("##min_active_minutes", &metric_windows_->min_active_minutes, 0, 0, "%.0f min");
    ImGui::SameLine();
    ImGui::TextDisabled("an ended session this long or longer counts toward trends");
    ImGui::TextDisabled("The minimum is %s; shorter sessions show counts, not rates.",
                        min_active_minutes_rule_text().c_str());
}

void SettingsDialog::draw_practice_server() {
    if (!server_url_stored_) return;
    const float label_width = ImGui::GetFontSize() * 12;
    const float field_width = ImGui::GetFontSize() * 18;
    ImGui::Spacing();
    heading("Practice server (this practice)");
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted("Server URL");
    ImGui::SameLine(label_width);
    ImGui::SetNextItemWidth(field_width);
    ImGui::InputTextWithHint("##server_url", "none: this practice stays on this machine", server_url_.data(),
                             server_url_.size());
    ImGui::SameLine();
    ImGui::TextDisabled("postgresql://you@server/practice");
    const services::SyncStatus status = model_.sync_status();
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted("Sync");
    ImGui::SameLine(label_width);
    {
        ScopedDisabled disabled(!status.server_set || status.running);
        if (ImGui::Button("Sync now")) model_.sync_now();
    }
    ImGui::SameLine();
    const std::string text = services::sync_status_text(status, services::SyncStatus::Clock::now());
    {
        ScopedWrap wrap(label_width + field_width * 2);
        ImGui::TextUnformatted(text.c_str());
    }
    ImGui::TextDisabled("Every minute in the background once set. The password comes from ~/.pgpass, never from here.");
}

void SettingsDialog::draw_hotkeys() {
    ImGui::Spacing();
    if (!ImGui::CollapsingHeader("Hotkeys (one letter per code; 1-4 choose who)")) return;
    const float key_width = ImGui::GetFontSize() * 2.2f;
    if (ImGui::Button("Restore the scheme's keys"))
        for (KeyField& field : keys_) {
            field.key.fill('\0');
            std::strncpy(field.key.data(), field.code->hotkey.c_str(), field.key.size() - 1);
        }
    ImGui::SameLine();
    ImGui::TextDisabled("Partner codes and therapist moves may share a letter.");
    const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY | ImGuiTableFlags_BordersInnerH;
    if (!ImGui::BeginTable("##hotkeys", 4, flags, ImVec2(ImGui::GetFontSize() * 36, ImGui::GetFontSize() * 14))) return;
    ImGui::TableSetupScrollFreeze(0, 1);
    ImGui::TableSetupColumn("Partner code", ImGuiTableColumnFlags_WidthStretch);
    ImGui::TableSetupColumn("Key", ImGuiTableColumnFlags_WidthFixed, key_width);
    ImGui::TableSetupColumn("Therapist move", ImGuiTableColumnFlags_WidthStretch);
    ImGui::TableSetupColumn("Key##t", ImGuiTableColumnFlags_WidthFixed, key_width);
    ImGui::TableHeadersRow();
    std::vector<KeyField*> partner, therapist;
    for (KeyField& field : keys_)
        (is_therapist_code(*field.code) ? therapist : partner).push_back(&field);
    const size_t rows = std::max(partner.size(), therapist.size());
    const auto cell = [&](KeyField* field) {
        ImGui::TableNextColumn();
        if (field) {
            ImGui::AlignTextToFramePadding();
            ImGui::TextUnformatted(field->code->label.c_str());
        }
        ImGui::TableNextColumn();
        if (field) {
            ImGui::SetNextItemWidth(key_width);
            ScopedId id(field->code->id.c_str());
            ImGui::InputText("##key", field->key.data(), 2, ImGuiInputTextFlags_CharsNoBlank);
        }
    };
    for (size_t row = 0; row < rows; ++row) {
        ImGui::TableNextRow();
        cell(row < partner.size() ? partner[row] : nullptr);
        cell(row < therapist.size() ? therapist[row] : nullptr);
    }
    ImGui::EndTable();
}

}  // namespace attune::ui
