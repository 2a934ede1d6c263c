#include "services/settings.h"

#include "services/paths.h"
#include "services/practice_access.h"
#include "store/metrics_cache.h"

namespace attune::services {

std::filesystem::path settings_path() { return config_dir() / "settings.json"; }

LoadedSettings load_user_settings() { return formats::load_settings(settings_path()); }

void save_user_settings(const Settings& settings) { formats::save_settings(settings, settings_path()); }

MetricSettings metric_windows(OpenPractice& practice) { return store::load_metric_settings(database_of(practice)); }

void save_metric_windows(OpenPractice& practice, const MetricSettings& windows) {
    store::save_metric_settings(database_of(practice), windows);
}

}  // namespace attune::services
