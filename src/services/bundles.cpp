// bundles.cpp: exporting and importing case bundles, by passphrase or sealed
// to people's keys.
//
// Index:
// [SECTION] The sender's seal and its check (both kinds of bundle)
// [SECTION] Recipients
// [SECTION] Bundles by passphrase
// [SECTION] Bundles sealed to people's keys
#include "services/bundles.h"
#include "services/measures_internal.h"

#include <stdlib.h>

#include <algorithm>
#include <cctype>
#include <stdexcept>

#include "core/crypto.h"
#include "core/error.h"
#include "core/sha256.h"
#include "formats/output_file.h"
#include "formats/sealed_bundle.h"
#include "services/open_practice.h"
#include "services/practice_access.h"
#include "services/temporary_folder.h"
#include "services/trust_internal.h"
#include "store/bundle.h"
#include "store/keyring.h"
#include "store/practice_log.h"
#include "store/repositories.h"

namespace attune::services {
namespace fs = std::filesystem;
namespace {

// [SECTION] The sender's seal and its check (both kinds of bundle)

// Sealed by the person signed in, with their key (a practice without personal keys cannot seal).
void seal_as_sender(OpenPractice& practice, store::BundleSeal& sender, store::BundleSigner& sign) {
    if (!practice.has_keys()) return;
    const Person me = practice.person();
    sender.sender_uuid = me.uuid;
    sender.sender_name = me.name;
    sender.sender_key = crypto::to_hex(practice.public_key());
    sign = [&practice](const std::string& content_sha256) {
        return crypto::to_hex(practice.sign(*crypto::from_hex(content_sha256)));
    };
}

// What the check learnt of the sender, for the report.
struct SenderCheck {
    store::BundleSeal seal;
    bool known = false;
};

// Refuses a bundle its sender did not sign, or that changed after signing;
// `recipients_sha256` (empty for a passphrase bundle) is the hash of the
// sealed file's header as read, which must be the one the sender signed.
store::BundleSealCheck sender_check(OpenPractice& practice, const fs::path& from, const std::string& recipients_sha256,
                                    SenderCheck& out) {
    return [&practice, from, recipients_sha256, &out](const store::BundleSeal& read) {
        out.seal = read;
        const std::string file = from.filename().string();
        const auto key = crypto::from_hex(read.sender_key);
        const auto signature = crypto::from_hex(read.signature);
        const auto hash = crypto::from_hex(read.content_sha256);
        if (read.signature.empty() || !key || !signature || !hash)
            throw Error(Error::Kind::Invalid, file + " is not signed by its sender: nothing was imported");
        if (!crypto::verify(*hash, *signature, *key))
            throw Error(Error::Kind::Invalid,
                        file + " was changed after " + read.sender_name + " signed it: nothing was imported");
        if (read.recipients_sha256 != recipients_sha256)
            throw Error(Error::Kind::Invalid,
                        recipients_sha256.empty()
                            ? file + " was sealed to people's keys by " + read.sender_name +
                                  ": import the file they sent, not the database inside it; nothing was imported"
                            : "the list of people " + file + " is sealed to was changed after " + read.sender_name +
                                  " signed it: nothing was imported");
        // Known: certified here for that person, or imported for them by an administrator.
        const PracticeTrust& trust = practice.trust();
        if (auto certified = trust.keys.find(read.sender_uuid); certified != trust.keys.end())
            for (const crypto::Bytes& k : certified->second)
                out.known = out.known || k == *key;
        for (const store::KnownKey& k : store::KnownKeysRepository(database_of(practice)).list())
            out.known = out.known || (k.person_uuid == read.sender_uuid && crypto::from_hex(k.public_key) == key);
    };
}

void report_sender(BundleImportReport& report, const SenderCheck& sender) {
    report.sender_name = sender.seal.sender_name;
    report.sender_fingerprint = crypto::fingerprint(*crypto::from_hex(sender.seal.sender_key));
    report.sender_known = sender.known;
}

// [SECTION] Recipients

bool same_name(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
}

std::string trimmed(const std::string& text) {
    const auto first = text.find_first_not_of(" \t");
    if (first == std::string::npos) return "";
    return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

struct ResolvedRecipient {
    BundleRecipient shown;
    crypto::Bytes public_key;
};

// The newest key an administrator imported for the person with `uuid`, or empty.
crypto::Bytes imported_key(const std::vector<store::KnownKey>& known, const std::string& uuid) {
    crypto::Bytes key;
    for (const store::KnownKey& k : known)  // oldest first
        if (k.person_uuid == uuid)
            if (auto bytes = crypto::from_hex(k.public_key); bytes && bytes->size() == crypto::kPublicKeySize)
                key = *bytes;
    return key;
}

ResolvedRecipient resolve_recipient(OpenPractice& practice, const std::vector<store::KnownKey>& known,
                                    const std::string& name) {
    if (same_name(name, detail::kRecoveryName))
        throw Error(Error::Kind::Invalid, "a bundle cannot be sealed to the practice's recovery key: name a person");
    ResolvedRecipient r;
    if (auto person = store::PeopleRepository(database_of(practice)).find(name)) {
        r.shown.name = person->name;
        r.shown.uuid = person->uuid;
        r.public_key = practice.trust().current_key(person->uuid);
        if (r.public_key.empty()) r.public_key = imported_key(known, person->uuid);
        if (r.public_key.empty())
            throw Error(Error::Kind::NotFound, person->name +
                                                   " has no key in this practice to seal a bundle to (an "
                                                   "administrator imports theirs with person import-key)");
    } else {
        for (const store::KnownKey& k : known) {
            if (!same_name(k.name, name)) continue;
            if (!r.shown.uuid.empty() && r.shown.uuid != k.person_uuid)
                throw Error(Error::Kind::Invalid, "keys of two different people named '" + name +
                                                      "' were imported here: the bundle cannot tell them apart");
            r.shown.name = k.name;
            r.shown.uuid = k.person_uuid;
        }
        if (r.shown.uuid.empty())
            throw Error(Error::Kind::NotFound, "no person named '" + name +
                                                   "' in this practice, and no key of theirs was imported "
                                                   "(person import-key): the bundle cannot be sealed to them");
        r.public_key = imported_key(known, r.shown.uuid);
        if (r.public_key.empty())
            throw Error(Error::Kind::NotFound, "the key imported for " + r.shown.name + " is not a public key");
    }
    r.shown.fingerprint = crypto::fingerprint(r.public_key);
    return r;
}

std::vector<ResolvedRecipient> resolve_recipients(OpenPractice& practice, const std::vector<std::string>& names) {
    const std::vector<store::KnownKey> known = store::KnownKeysRepository(database_of(practice)).list();
    std::vector<ResolvedRecipient> out;
    for (const std::string& raw : names) {
        const std::string name = trimmed(raw);
        if (name.empty()) continue;
        ResolvedRecipient r = resolve_recipient(practice, known, name);
        const bool again = std::any_of(out.begin(), out.end(),
                                       [&](const ResolvedRecipient& o) { return o.shown.uuid == r.shown.uuid; });
        if (!again) out.push_back(std::move(r));
    }
    if (out.empty()) throw Error(Error::Kind::Invalid, "name at least one person to seal the bundle to");
    return out;
}

std::string joined_names(const std::vector<std::string>& names) {
    std::string text;
    for (const std::string& n : names)
        text += (text.empty() ? "" : ", ") + n;
    return text;
}


}  // namespace

// [SECTION] Bundles by passphrase

BundleCounts export_bundle(OpenPractice& practice, const BundleSelection& selection, const fs::path& out,
                           const KeyMaterial& bundle_passphrase) {
    store::BundleSeal sender;
    store::BundleSigner sign;
    seal_as_sender(practice, sender, sign);
    return store::export_bundle(database_of(practice), selection, out, bundle_passphrase.view(), sender, sign);
}

namespace {

BundleImportReport import_passphrase_bundle(OpenPractice& practice, const fs::path& from,
                                            const KeyMaterial& bundle_passphrase, store::ImportMode mode) {
    SenderCheck sender;
    const InstrumentCatalog instruments = detail::load_instrument_catalog(database_of(practice));
    store::BundleEnvelope envelope;
    envelope.instruments = &instruments;
    BundleImportReport report = store::import_bundle(database_of(practice), from, bundle_passphrase.view(),
                                                     sender_check(practice, from, "", sender), envelope, mode);
    report_sender(report, sender);
    return report;
}

// [SECTION] Bundles sealed to people's keys

BundleImportReport import_sealed_bundle(OpenPractice& practice, const fs::path& from, store::ImportMode mode) {
    const formats::SealedBundleFile file = formats::read_sealed_bundle(from);
    const std::string name = from.filename().string();
    std::vector<std::string> names;
    for (const formats::SealedBundleRecipient& r : file.header.recipients)
        names.push_back(r.name);
    if (!practice.has_keys() || practice.is_recovery())
        throw Error(Error::Kind::Denied, name + " is sealed to " + joined_names(names) +
                                             ": sign in as one of them to a practice with personal sign-in to "
                                             "import it; nothing was imported");
    const Person me = practice.person();
    const auto mine = std::find_if(file.header.recipients.begin(), file.header.recipients.end(),
                                   [&](const formats::SealedBundleRecipient& r) { return r.uuid == me.uuid; });
    if (mine == file.header.recipients.end())
        throw Error(Error::Kind::Denied, name + " is sealed to " + joined_names(names) + "; you are signed in as " +
                                             me.name + ": nothing was imported");

    const detail::StatementSigner signer = PracticeAccess::signer(practice);
    std::optional<SecretBytes> bundle_key = crypto::open_sealed(mine->sealed_key, *signer.secret_key);
    if (!bundle_key || bundle_key->size() != 32) {
        const std::string my_fingerprint = crypto::fingerprint(practice.public_key());
        throw Error(Error::Kind::Invalid, mine->fingerprint != my_fingerprint
                                              ? name + " is sealed to a key of " + me.name + " (fingerprint " +
                                                    mine->fingerprint + ") that is not your key now (" +
                                                    my_fingerprint + "): nothing was imported"
                                              : "the key sealed to " + me.name + " in " + name +
                                                    " was changed or damaged and does not open: nothing was imported");
    }
    const SecretString raw_key = store::sqlcipher_raw_key(*bundle_key);
    bundle_key->reset();

    TemporaryFolder folder;
    const fs::path database = folder.path() / "bundle.attune-db";
    formats::extract_sealed_payload(from, file.payload_offset, database);
    SenderCheck sender;
    store::BundleEnvelope envelope;
    envelope.shown_as = from;
    const InstrumentCatalog instruments = detail::load_instrument_catalog(database_of(practice));
    envelope.instruments = &instruments;
    BundleImportReport report;
    try {
        report = store::import_bundle(database_of(practice), database, raw_key.view(),
                                      sender_check(practice, from, sha256_hex(file.header_text), sender), envelope,
                                      mode);
    } catch (const Error& e) {
        // The key opened from the header is the sender's: a database it does not open was changed.
        if (e.kind() != Error::Kind::WrongPassphrase) throw;
        throw Error(Error::Kind::Invalid,
                    name + " was changed or damaged: its bundle database does not open with the key sealed to " +
                        me.name + "; nothing was imported");
    }
    report_sender(report, sender);
    report.sealed_to = names;
    return report;
}

}  // namespace

namespace {

BundleImportReport import_or_preview(OpenPractice& practice, const fs::path& from,
                                     const KeyMaterial& bundle_passphrase, store::ImportMode mode) {
    if (formats::is_sealed_bundle(from)) return import_sealed_bundle(practice, from, mode);
    return import_passphrase_bundle(practice, from, bundle_passphrase, mode);
}

}  // namespace

BundleImportReport import_bundle(OpenPractice& practice, const fs::path& from, const KeyMaterial& bundle_passphrase) {
    return import_or_preview(practice, from, bundle_passphrase, store::ImportMode::Import);
}

BundleImportReport preview_bundle_import(OpenPractice& practice, const fs::path& from,
                                         const KeyMaterial& bundle_passphrase) {
    return import_or_preview(practice, from, bundle_passphrase, store::ImportMode::Preview);
}

std::vector<BundleRecipient> bundle_recipients_named(OpenPractice& practice, const std::vector<std::string>& names) {
    std::vector<BundleRecipient> out;
    for (ResolvedRecipient& r : resolve_recipients(practice, names))
        out.push_back(std::move(r.shown));
    return out;
}

BundleCounts export_bundle_to(OpenPractice& practice, const BundleSelection& selection, const fs::path& out,
                              const std::vector<std::string>& recipient_names) {
    // The sender's signature is what authenticates the list of recipients.
    if (!practice.has_keys() || practice.is_recovery())
        throw Error(Error::Kind::Denied,
                    "a bundle sealed to people's keys is signed by its sender: sign in as a "
                    "person of a practice with personal sign-in to write one");
    const std::vector<ResolvedRecipient> recipients = resolve_recipients(practice, recipient_names);
    SecretBytes bundle_key = crypto::random_secret(32);
    formats::SealedBundleHeader header;
    std::vector<std::string> names;
    for (const ResolvedRecipient& r : recipients) {
        formats::SealedBundleRecipient sealed;
        sealed.uuid = r.shown.uuid;
        sealed.name = r.shown.name;
        sealed.fingerprint = r.shown.fingerprint;
        try {
            sealed.sealed_key = crypto::seal_to(bundle_key.view(), r.public_key);
        } catch (const std::invalid_argument&) {
            throw Error(Error::Kind::Invalid, "the key known for " + r.shown.name + " (fingerprint " +
                                                  r.shown.fingerprint + ") cannot be sealed to");
        }
        header.recipients.push_back(std::move(sealed));
        names.push_back(r.shown.name);
    }
    const std::string header_text = formats::sealed_bundle_header_text(header);
    const SecretString raw_key = store::sqlcipher_raw_key(bundle_key);
    bundle_key.reset();

    store::BundleSeal sender;
    store::BundleSigner sign;
    seal_as_sender(practice, sender, sign);
    sender.recipients_sha256 = sha256_hex(header_text);
    store::BundleEnvelope envelope;
    envelope.shown_as = out;
    envelope.recipients = joined_names(names);

    TemporaryFolder folder;
    const fs::path database = folder.path() / "bundle.attune-db";
    const BundleCounts counts =
        store::export_bundle(database_of(practice), selection, database, raw_key.view(), sender, sign, envelope);
    formats::write_output(out, formats::sealed_bundle_bytes(header_text, database));
    return counts;
}

bool is_sealed_bundle(const fs::path& file) {
    return formats::is_sealed_bundle(file);
}

std::vector<BundleRecipient> sealed_bundle_recipients(const fs::path& file) {
    std::vector<BundleRecipient> out;
    for (const formats::SealedBundleRecipient& r : formats::read_sealed_bundle(file).header.recipients)
        out.push_back({r.name, r.uuid, r.fingerprint});
    return out;
}

}  // namespace attune::services
