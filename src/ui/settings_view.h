// settings_view.h: the Settings dialog (Practice > Settings...). It edits a
// copy of the settings; Apply validates, saves config_dir()/settings.json and
// hands the new settings to the main loop, which rebuilds fonts and theme
// between frames (the font atlas cannot change inside one).
#pragma once

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "core/metrics.h"
#include "core/scheme.h"
#include "services/settings.h"
#include "ui/dialog.h"

namespace attune::ui {

class AppModel;

class SettingsDialog final : public Modal {
public:
    explicit SettingsDialog(AppModel& model) : Modal("Settings"), model_(model) {}

    // The settings in effect (loaded at startup by the main loop).
    void set_current(const services::Settings& settings) { current_ = settings; }
    const services::Settings& current() const { return current_; }

    // Settings applied since the last call, once.
    std::optional<services::Settings> take_applied();
    // Saves that the first-run tour was seen (finished or skipped), so that it
    // does not open again; a failure becomes the model's error message.
    void mark_walkthrough_seen();

private:
    void on_open() override;
    void draw_content() override;
    bool apply();
    // Writes settings.json; false with error_ set when it cannot.
    bool save(const services::Settings& settings);
    // The overrides the key fields describe (only keys that differ from the
    // scheme's), or an error naming the code and the rule.
    std::optional<HotkeyOverrides> edited_hotkeys();
    void draw_hotkeys();
    void draw_metric_windows();
    // The open practice's server: its URL, "Sync now" and the sync's state in words.
    void draw_practice_server();
    // Stores the server URL when it was edited (and starts syncing with it);
    // false with error_ set, nothing stored, when it is refused.
    bool apply_practice_server();

    struct KeyField {
        const Code* code = nullptr;  // in scheme_
        std::array<char, 4> key{};
    };

    AppModel& model_;
    services::Settings current_;
    services::Settings editing_;
    std::array<char, 1024> backup_folder_{};
    CodingScheme scheme_;  // the practice's (or the default) scheme, with its own keys
    std::vector<KeyField> keys_;
    std::optional<MetricSettings> metric_windows_;  // the open practice's; none when locked
    std::optional<std::string> server_url_stored_;  // the open practice's server URL; none when locked
    std::array<char, 1024> server_url_{};
    std::string error_;                             // names the field, e.g. "backup_count: must be between 1 and 365"
    std::optional<services::Settings> applied_;
};

}  // namespace attune::ui
