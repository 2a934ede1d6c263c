#include "services/maintenance.h"

#include "core/practice_trust.h"
#include "services/audit.h"
#include "services/practice_access.h"
#include "services/supervision.h"
#include "store/backup.h"
#include "store/keyring.h"
#include "store/maintenance.h"
#include "store/security.h"

namespace attune::services {

HealthReport check_health(OpenPractice& practice) {
    HealthReport report = store::check_health(database_of(practice));
    report.audit = verify_audit_chain(practice);  // with every row's signature
    report.trust_problems = practice.trust().problems;
    for (const SessionSignatureCheck& c : verify_practice(practice)) {
        if (c.check.verified()) {
            ++report.signatures_verified;
            continue;
        }
        report.signature_problems.push_back(c.case_info.label + ", session " + std::to_string(c.session.number) + ": " +
                                            signature_line(c.check));
    }
    return report;
}

RestoreResult restore_backup(const std::filesystem::path& from, const std::filesystem::path& db_path,
                             const std::string& person, const KeyMaterial& passphrase) {
    std::error_code ec;
    const std::filesystem::path keyring = from.string() + ".keyring";
    if (!std::filesystem::exists(keyring, ec)) {
        // A backup of a practice without personal sign-in: its passphrase opens it.
        return store::restore_database(from, db_path, passphrase.view(), person.empty() ? "attune" : person);
    }
    const store::Keyring backup_keyring = store::Keyring::load(keyring);
    const store::UnlockedPerson unlocked =
        backup_keyring.unlock_person(person.empty() ? std::string_view() : person, SecretString(passphrase.view()));
    const SecretString raw = store::sqlcipher_raw_key(unlocked.data_key);
    // The restore's audit row is the person's, signed like every other.
    const auto signer = [&unlocked](const std::string& row_hash, const std::string& actor_uuid) {
        const std::string message = canonical_audit_row(unlocked.trust_root.practice_uuid, row_hash, actor_uuid);
        return crypto::to_hex(crypto::sign(crypto::as_bytes(message), unlocked.signing_key));
    };
    return store::restore_database(from, db_path, raw.view(), unlocked.person.name, unlocked.person.uuid, signer);
}

void change_passphrase(OpenPractice& practice, const KeyMaterial& new_passphrase) {
    store::change_passphrase(database_of(practice), new_passphrase.view());
}

void encrypt_practice(const std::filesystem::path& db_path, const KeyMaterial& passphrase, const std::string& actor_name) {
    store::encrypt_plaintext_database(db_path, passphrase.view(), actor_name);
}

}  // namespace attune::services
