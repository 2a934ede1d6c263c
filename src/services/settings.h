// settings.h: the person's preferences (settings.json in the config folder)
// and the practice's metric windows (stored in the practice, validated by
// core/metrics.h's one rule). The settings dialog and `attune settings` share these.
#pragma once

#include "core/metrics.h"
#include "formats/settings_file.h"

#include <filesystem>

namespace attune::services {

class OpenPractice;

using formats::LoadedSettings;
using formats::Settings;
using formats::SettingsError;
using formats::Theme;

// config_dir()/settings.json
std::filesystem::path settings_path();
// Never throws: a missing file gives the defaults, a damaged one the defaults and a warning.
LoadedSettings load_user_settings();
// Validates, then writes atomically. Throws SettingsError or std::runtime_error.
void save_user_settings(const Settings& settings);

// The windows stored in the practice (DOMAIN.md's defaults when none).
MetricSettings metric_windows(OpenPractice& practice);
// Throws attune::Error (Invalid) for a window outside the rule; audited.
void save_metric_windows(OpenPractice& practice, const MetricSettings& windows);

}  // namespace attune::services
