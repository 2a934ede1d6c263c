#include "services/bundles.h"

#include "core/crypto.h"
#include "core/error.h"
#include "services/open_practice.h"
#include "services/practice_access.h"
#include "store/bundle.h"
#include "store/practice_log.h"

namespace attune::services {

BundleCounts export_bundle(OpenPractice& practice, const BundleSelection& selection, const std::filesystem::path& out,
                           const KeyMaterial& bundle_passphrase) {
    store::BundleSeal sender;
    store::BundleSigner sign;
    // Sealed by the person signed in, with their key (a practice without personal keys cannot seal).
    if (practice.has_keys()) {
        const Person me = practice.person();
        sender.sender_uuid = me.uuid;
        sender.sender_name = me.name;
        sender.sender_key = crypto::to_hex(practice.public_key());
        sign = [&practice](const std::string& content_sha256) {
            return crypto::to_hex(practice.sign(*crypto::from_hex(content_sha256)));
        };
    }
    return store::export_bundle(database_of(practice), selection, out, bundle_passphrase.view(), sender, sign);
}

BundleImportReport import_bundle(OpenPractice& practice, const std::filesystem::path& from,
                                 const KeyMaterial& bundle_passphrase) {
    store::Database& db = database_of(practice);
    store::BundleSeal seal;
    bool known = false;
    const auto check = [&](const store::BundleSeal& read) {
        seal = read;
        const std::string file = from.filename().string();
        const auto key = crypto::from_hex(read.sender_key);
        const auto signature = crypto::from_hex(read.signature);
        const auto hash = crypto::from_hex(read.content_sha256);
        if (read.signature.empty() || !key || !signature || !hash)
            throw Error(Error::Kind::Invalid, file + " is not signed by its sender: nothing was imported");
        if (!crypto::verify(*hash, *signature, *key))
            throw Error(Error::Kind::Invalid,
                        file + " was changed after " + read.sender_name + " signed it: nothing was imported");
        // Known: certified here for that person, or imported for them by an administrator.
        if (auto certified = practice.trust().keys.find(read.sender_uuid); certified != practice.trust().keys.end())
            for (const crypto::Bytes& k : certified->second)
                known = known || k == *key;
        for (const store::KnownKey& k : store::KnownKeysRepository(db).list())
            known = known || (k.person_uuid == read.sender_uuid && crypto::from_hex(k.public_key) == key);
    };
    BundleImportReport report = store::import_bundle(db, from, bundle_passphrase.view(), check);
    report.sender_name = seal.sender_name;
    report.sender_fingerprint = crypto::fingerprint(*crypto::from_hex(seal.sender_key));
    report.sender_known = known;
    return report;
}

}  // namespace attune::services
