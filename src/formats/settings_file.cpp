#include "formats/settings_file.h"

#include "core/json_limits.h"
#include "formats/text_file.h"


#include <nlohmann/json.hpp>

#include <cmath>
#include <fstream>
#include <sstream>
#include <system_error>

namespace attune::formats {
namespace fs = std::filesystem;
using nlohmann::json;

std::string_view theme_name(Theme theme) {
    switch (theme) {
        case Theme::Light: return "light";
        case Theme::Dark: return "dark";
        case Theme::HighContrast: return "high-contrast";
    }
    return "light";
}

std::optional<Theme> theme_from_name(std::string_view name) {
    for (Theme t : {Theme::Light, Theme::Dark, Theme::HighContrast})
        if (theme_name(t) == name) return t;
    return std::nullopt;
}

void validate_settings(const Settings& s) {
    if (!std::isfinite(s.font_size) || s.font_size < kMinFontSize || s.font_size > kMaxFontSize)
        throw SettingsError("font_size", "must be between " + std::to_string(static_cast<int>(kMinFontSize)) +
                                             " and " + std::to_string(static_cast<int>(kMaxFontSize)) + " pixels");
    if (s.auto_lock_minutes < 0 || s.auto_lock_minutes > kMaxAutoLockMinutes)
        throw SettingsError("auto_lock_minutes",
                            "must be 0 (never) to " + std::to_string(kMaxAutoLockMinutes) + " minutes");
    if (s.backup_count < kMinBackupCount || s.backup_count > kMaxBackupCount)
        throw SettingsError("backup_count", "must be between " + std::to_string(kMinBackupCount) + " and " +
                                                std::to_string(kMaxBackupCount));
    if (!s.backup_folder.empty() && !fs::path(s.backup_folder).is_absolute())
        throw SettingsError("backup_folder", "must be an absolute path (or empty for the default)");
    if (s.backup_folder.find('\0') != std::string::npos)
        throw SettingsError("backup_folder", "must not contain a NUL character");
    for (const auto& [code_id, key] : s.hotkeys) {
        if (code_id.empty() || code_id.size() > 64 ||
            code_id.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_") != std::string::npos)
            throw SettingsError("hotkeys", "\"" + code_id.substr(0, 64) + "\" is not a code id");
        if (!key.empty() && !is_hotkey_letter(key))
            throw SettingsError("hotkeys." + code_id, "must be one lower-case letter a-z, or empty for no key");
    }
}

namespace {

const json* field(const json& object, const char* key) {
    const auto it = object.find(key);
    return it == object.end() ? nullptr : &*it;
}

int integer_field(const json& value, const char* key) {
    if (!value.is_number_integer()) throw SettingsError(key, "must be a whole number");
    const auto number = value.get<long long>();
    if (number < -1000000 || number > 1000000) throw SettingsError(key, "is out of range");
    return static_cast<int>(number);
}

}  // namespace

Settings parse_settings(std::string_view json_text) {
    if (const std::string problem = json_limit_problem(json_text, kMaxSettingsFileBytes, kMaxSettingsJsonDepth);
        !problem.empty())
        throw SettingsError("settings", problem + "; a settings file is not");
    json root;
    try {
        root = json::parse(json_text);
    } catch (const json::exception& e) {  // a parse error, or a number too large (out_of_range 406)
        throw SettingsError("settings", std::string("not valid JSON (") + e.what() + ")");
    }
    if (!root.is_object()) throw SettingsError("settings", "must be a JSON object");
    Settings s;
    if (const json* v = field(root, "theme")) {
        if (!v->is_string()) throw SettingsError("theme", "must be \"light\", \"dark\" or \"high-contrast\"");
        const auto theme = theme_from_name(v->get<std::string>());
        if (!theme)
            throw SettingsError("theme", "unknown theme \"" + v->get<std::string>() +
                                             "\" (light, dark or high-contrast)");
        s.theme = *theme;
    }
    if (const json* v = field(root, "font_size")) {
        if (!v->is_number()) throw SettingsError("font_size", "must be a number of pixels");
        s.font_size = v->get<float>();
    }
    if (const json* v = field(root, "auto_lock_minutes")) s.auto_lock_minutes = integer_field(*v, "auto_lock_minutes");
    if (const json* v = field(root, "backup_folder")) {
        if (!v->is_string()) throw SettingsError("backup_folder", "must be a folder path");
        s.backup_folder = v->get<std::string>();
    }
    if (const json* v = field(root, "backup_count")) s.backup_count = integer_field(*v, "backup_count");
    if (const json* v = field(root, "lock_during_session")) {
        if (!v->is_boolean()) throw SettingsError("lock_during_session", "must be true or false");
        s.lock_during_session = v->get<bool>();
    }
    if (const json* v = field(root, "five_to_one_reference")) {
        if (!v->is_boolean()) throw SettingsError("five_to_one_reference", "must be true or false");
        s.five_to_one_reference = v->get<bool>();
    }
    if (const json* v = field(root, "walkthrough_done")) {
        if (!v->is_boolean()) throw SettingsError("walkthrough_done", "must be true or false");
        s.walkthrough_done = v->get<bool>();
    }
    if (const json* v = field(root, "hotkeys")) {
        if (!v->is_object()) throw SettingsError("hotkeys", "must be an object of code id to letter");
        for (const auto& [code_id, key] : v->items()) {
            if (!key.is_string()) throw SettingsError("hotkeys." + code_id, "must be a letter in quotes");
            s.hotkeys[code_id] = key.get<std::string>();
        }
    }
    validate_settings(s);
    return s;
}

std::string serialize_settings(const Settings& s) {
    const json root{{"format", "attune-settings"},
                    {"format_version", 1},
                    {"theme", std::string(theme_name(s.theme))},
                    {"font_size", s.font_size},
                    {"auto_lock_minutes", s.auto_lock_minutes},
                    {"backup_folder", s.backup_folder},
                    {"backup_count", s.backup_count},
                    {"lock_during_session", s.lock_during_session},
                    {"walkthrough_done", s.walkthrough_done},
                    {"five_to_one_reference", s.five_to_one_reference},
                    {"hotkeys", s.hotkeys}};
    return root.dump(2) + "\n";
}

LoadedSettings load_settings(const fs::path& file) {
    LoadedSettings out;
    std::error_code ec;
    if (!fs::exists(file, ec)) return out;
    std::string text;
    try {
        text = read_small_text_file(file, kMaxSettingsFileBytes);
    } catch (const TextFileError& e) {
        out.warning = std::string(e.what()) + "; using the default settings";
        return out;
    }
    try {
        out.settings = parse_settings(text);
    } catch (const SettingsError& e) {
        out.warning = "settings file " + file.string() + " is damaged (" + e.what() + "); using the default settings";
    } catch (const std::exception& e) {  // e.g. a number too large for its type
        out.warning = "settings file " + file.string() + " is damaged (" + e.what() + "); using the default settings";
    }
    return out;
}

void save_settings(const Settings& settings, const fs::path& file) {
    validate_settings(settings);
    std::error_code ec;
    if (file.has_parent_path()) fs::create_directories(file.parent_path(), ec);
    const fs::path temporary = fs::path(file).concat(".tmp");
    {
        std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
        out << serialize_settings(settings);
        out.flush();
        if (!out) throw std::runtime_error("cannot write " + temporary.string());
    }
    fs::rename(temporary, file, ec);
    if (ec) throw std::runtime_error("cannot replace " + file.string() + ": " + ec.message());
}


}  // namespace attune::formats
