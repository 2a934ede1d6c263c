// bundles.h: case bundles, how a supervisor on another machine receives a
// supervisee's cases (the rules are in store/bundle.h). Throws attune::Error.
//
// A bundle is encrypted either with a bundle passphrase shared with the
// receiver, or to the public keys of named people (issue 16 item 5): a fresh
// random bundle key encrypts the bundle and is sealed to each recipient's key
// (formats/sealed_bundle.h); a recipient opens it with their own signing key,
// which they hold while signed in, and needs no passphrase. Either way the
// bundle is signed by its sender and verified on import.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "core/records.h"
#include "services/key_material.h"

namespace attune::services {

class OpenPractice;

BundleCounts export_bundle(OpenPractice& practice, const BundleSelection& selection, const std::filesystem::path& out,
                           const KeyMaterial& bundle_passphrase);

// A person a bundle can be sealed to, or is sealed to.
struct BundleRecipient {
    std::string name;
    std::string uuid;
    std::string fingerprint;  // of the public key the bundle key is sealed to
};

// Who `names` are as recipients: a person of this practice with a certified
// key (or, for a person recorded from another practice, a key an
// administrator imported for them), or a person of another practice whose key
// was imported (`person import-key`). Throws NotFound naming the first name
// that is neither, Invalid when a name is ambiguous or names the recovery key.
std::vector<BundleRecipient> bundle_recipients_named(OpenPractice& practice, const std::vector<std::string>& names);

// Writes the bundle encrypted to those people's keys instead of a passphrase
// (`attune bundle export --to NAME[,NAME]`). Refuses as bundle_recipients_named.
BundleCounts export_bundle_to(OpenPractice& practice, const BundleSelection& selection,
                              const std::filesystem::path& out, const std::vector<std::string>& recipient_names);

// True when the file is a bundle sealed to people's keys (it needs no passphrase).
bool is_sealed_bundle(const std::filesystem::path& file);
// Whom a sealed bundle is for, as its header says (nothing is opened or
// verified). Throws for a file that is not a sealed bundle.
std::vector<BundleRecipient> sealed_bundle_recipients(const std::filesystem::path& file);

// Merges the bundle into the practice. A sealed bundle is opened with the
// signed-in person's own key (`bundle_passphrase` is not used): refused with
// nothing imported when it is not sealed to them, or when its header or the
// key sealed to them was changed.
BundleImportReport import_bundle(OpenPractice& practice, const std::filesystem::path& from,
                                 const KeyMaterial& bundle_passphrase);

// What import_bundle would do, refused the same way, with nothing written
// (`attune bundle import --dry-run`, and the window's import before its
// Confirm): bundle_changes(report) gives the cases, sessions, observations,
// notes, measures and people new, changed and unchanged. The report has dry_run set.
BundleImportReport preview_bundle_import(OpenPractice& practice, const std::filesystem::path& from,
                                         const KeyMaterial& bundle_passphrase);

}  // namespace attune::services
