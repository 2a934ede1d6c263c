// paths.h: where Attune keeps its files (XDG base directories) and finds its assets.
#pragma once

#include <filesystem>

namespace attune::services {

// $XDG_DATA_HOME/attune, else ~/.local/share/attune (created on demand).
std::filesystem::path data_dir();
// $XDG_CONFIG_HOME/attune, else ~/.config/attune (created on demand).
std::filesystem::path config_dir();
// The default practice database in data_dir().
std::filesystem::path default_database_path();
// The unlock screen's demo practice of invented couples, in data_dir() under
// a name of its own: never the default practice's file.
std::filesystem::path demo_practice_path();
// `path` names the default practice's file (also through a link or "..").
bool is_default_practice_path(const std::filesystem::path& path);
// Assets (coding scheme, icon): $ATTUNE_ASSETS_DIR, else next to the build
// tree's sources, else the installed share/attune folder.
std::filesystem::path assets_dir();
// A UI font from Debian's fonts-dejavu-core (or a fallback that exists).
std::filesystem::path ui_font_path(bool bold = false);

}  // namespace attune::services
