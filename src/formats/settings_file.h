// settings.h: the user's preferences (theme, font size, auto-lock, backups),
// kept as JSON in config_dir()/settings.json. Pure parse/serialize plus file
// load/save; no ImGui. Metric windows are per database, not here.
#pragma once

#include "core/scheme.h"

#include <cstddef>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

namespace attune::formats {

enum class Theme { Light, Dark, HighContrast };

// "light", "dark", "high-contrast".
std::string_view theme_name(Theme theme);
std::optional<Theme> theme_from_name(std::string_view name);

struct Settings {
    Theme theme = Theme::Light;
    float font_size = 16.0f;       // pixels at scale 1; kMinFontSize..kMaxFontSize
    int auto_lock_minutes = 10;    // lock the database after this long without input; 0 = never
    bool lock_during_session = false;  // also lock during a live session (off: silence there is listening)
    std::string backup_folder;     // empty: data_dir()/backups
    int backup_count = 14;         // backups kept; kMinBackupCount..kMaxBackupCount
    HotkeyOverrides hotkeys;       // code id -> letter ("" = no key); codes not listed keep the scheme's
    bool walkthrough_done = false;  // the first-run tour was finished or skipped
    // Show Gottman's 5 : 1 positive-to-negative reference (from research on
    // conflict discussions, not EFT) on charts and in exports. Off by default.
    bool five_to_one_reference = false;

    friend bool operator==(const Settings&, const Settings&) = default;
};

inline constexpr float kMinFontSize = 10.0f;
inline constexpr float kMaxFontSize = 32.0f;
inline constexpr int kMaxAutoLockMinutes = 24 * 60;
inline constexpr int kMinBackupCount = 1;
inline constexpr int kMaxBackupCount = 365;

// An invalid value; field() is the JSON key ("font_size", ...).
class SettingsError : public std::runtime_error {
public:
    SettingsError(std::string field, const std::string& problem)
        : std::runtime_error(field + ": " + problem), field_(std::move(field)) {}
    const std::string& field() const { return field_; }

private:
    std::string field_;
};

// Larger files, or JSON nested deeper, are refused before parsing (a
// settings file is a few hundred bytes, 3 levels deep).
inline constexpr std::size_t kMaxSettingsFileBytes = 64 * 1024;
inline constexpr int kMaxSettingsJsonDepth = 8;

// Throws SettingsError for the first invalid field.
void validate_settings(const Settings& settings);
// Strict: missing keys keep their defaults, unknown keys are ignored, a wrong
// type or value throws SettingsError naming the field; text that is not a
// JSON object throws SettingsError with field "settings".
Settings parse_settings(std::string_view json_text);
std::string serialize_settings(const Settings& settings);

struct LoadedSettings {
    Settings settings;
    std::optional<std::string> warning;  // the file was unreadable or damaged: defaults were used
};
// Never throws: a missing file gives the defaults silently; a damaged one the
// defaults and a warning naming the file and the problem.
LoadedSettings load_settings(const std::filesystem::path& file);
// Validates, then writes atomically (temporary file + rename). Throws
// SettingsError for an invalid value, std::runtime_error for I/O.
void save_settings(const Settings& settings, const std::filesystem::path& file);

}  // namespace attune::formats
