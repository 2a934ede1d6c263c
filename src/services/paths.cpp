#include "services/paths.h"

#include <cstdlib>
#include <system_error>

namespace attune::services {
namespace fs = std::filesystem;
namespace {

fs::path home_dir() {
    const char* home = std::getenv("HOME");
    return home && *home ? fs::path(home) : fs::temp_directory_path();
}

fs::path xdg_dir(const char* variable, const char* fallback) {
    const char* value = std::getenv(variable);
    fs::path base = value && *value && fs::path(value).is_absolute() ? fs::path(value) : home_dir() / fallback;
    fs::path dir = base / "attune";
    std::error_code ignored;
    fs::create_directories(dir, ignored);
    return dir;
}

}  // namespace

fs::path data_dir() { return xdg_dir("XDG_DATA_HOME", ".local/share"); }
fs::path config_dir() { return xdg_dir("XDG_CONFIG_HOME", ".config"); }
fs::path default_database_path() { return data_dir() / "practice.attune-db"; }
fs::path demo_practice_path() { return data_dir() / "demo-practice (invented couples).attune-db"; }

bool is_default_practice_path(const fs::path& path) {
    std::error_code ec;
    const fs::path given = fs::weakly_canonical(path, ec);
    if (ec || given.empty()) return false;
    const fs::path standard = fs::weakly_canonical(default_database_path(), ec);
    return !ec && given == standard;
}

fs::path assets_dir() {
    if (const char* override_dir = std::getenv("ATTUNE_ASSETS_DIR"); override_dir && *override_dir)
        return override_dir;
    std::error_code ec;
    if (fs::exists(fs::path(ATTUNE_SOURCE_ASSETS_DIR) / "coding_scheme.json", ec)) return ATTUNE_SOURCE_ASSETS_DIR;
    // Installed: share/attune next to the binary's bin/, wherever the package
    // put it (a .deb built with prefix /usr from a tree configured for /usr/local).
    const fs::path beside_binary = fs::read_symlink("/proc/self/exe", ec).parent_path().parent_path() / "share/attune";
    if (!ec && fs::exists(beside_binary / "coding_scheme.json", ec)) return beside_binary;
    return ATTUNE_INSTALLED_ASSETS_DIR;
}

fs::path ui_font_path(bool bold) {
    const fs::path candidates[] = {
        bold ? "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf" : "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        bold ? "/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf" : "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",
    };
    std::error_code ec;
    for (const fs::path& candidate : candidates)
        if (fs::exists(candidate, ec)) return candidate;
    return {};
}

}  // namespace attune::services
