// bundles.h: case bundles, how a supervisor on another machine receives a
// supervisee's cases (the rules are in store/bundle.h). Throws attune::Error.
#pragma once

#include "core/records.h"
#include "services/key_material.h"

#include <filesystem>

namespace attune::services {

class OpenPractice;

BundleCounts export_bundle(OpenPractice& practice, const BundleSelection& selection, const std::filesystem::path& out,
                           const KeyMaterial& bundle_passphrase);
BundleImportReport import_bundle(OpenPractice& practice, const std::filesystem::path& from,
                                 const KeyMaterial& bundle_passphrase);

}  // namespace attune::services
