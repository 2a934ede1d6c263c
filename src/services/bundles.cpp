#include "services/bundles.h"

#include "services/practice_access.h"
#include "store/bundle.h"

namespace attune::services {

BundleCounts export_bundle(OpenPractice& practice, const BundleSelection& selection, const std::filesystem::path& out,
                           const KeyMaterial& bundle_passphrase) {
    return store::export_bundle(database_of(practice), selection, out, bundle_passphrase.view());
}

BundleImportReport import_bundle(OpenPractice& practice, const std::filesystem::path& from,
                                 const KeyMaterial& bundle_passphrase) {
    return store::import_bundle(database_of(practice), from, bundle_passphrase.view());
}

}  // namespace attune::services
