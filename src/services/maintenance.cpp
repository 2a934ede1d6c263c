#include "services/maintenance.h"

#include "core/practice_trust.h"
#include "services/audit.h"
#include "services/audit_checkpoint.h"
#include "services/practice_access.h"
#include "services/supervision.h"
#include "store/audit_log.h"
#include "store/backup.h"
#include "store/keyring.h"
#include "store/maintenance.h"
#include "store/security.h"

#include <map>
#include <memory>

namespace attune::services {

HealthReport check_health(OpenPractice& practice) {
    HealthReport report = store::check_health(database_of(practice));
    report.audit = verify_audit_chain(practice);  // with every row's signature
    report.trust_problems = practice.trust().problems;
    if (const auto& problem = practice.audit_checkpoint_problem()) report.checkpoint_problems.push_back(*problem);
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

namespace {

std::unique_ptr<store::Database> open_to_read(const std::filesystem::path& file, std::string_view key) {
    store::OpenOptions options;
    options.path = file;
    if (!key.empty()) options.passphrase = key;
    options.read_only = true;
    return store::Database::open(options);
}

// What the file being replaced holds that the backup does not, for the
// restore's audit row: the audit rows after the backup's head. Read from the
// file itself when it opens with the backup's key, else from the last
// checkpoint seen; empty when nothing is lost.
std::string lost_rows(const std::filesystem::path& db_path, std::string_view key, const std::filesystem::path& from,
                      const std::string& practice_uuid) {
    std::optional<store::AuditLog::Reach> restored;
    try {
        restored = store::AuditLog(*open_to_read(from, key)).reach();
    } catch (const std::exception&) {
        return "";  // the restore itself says what is wrong with the backup
    }
    std::error_code ec;
    if (std::filesystem::exists(db_path, ec)) {
        try {
            const auto db = open_to_read(db_path, key);
            const store::AuditLog log(*db);
            const std::vector<AuditEntry> after = log.rows_after(restored->rows);
            const bool continues = log.hash_at(restored->rows) == restored->head || restored->rows == 0;
            std::string text;
            if (!continues)
                text = "the replaced file's audit trail does not continue the backup's (it differs at or before row " +
                       std::to_string(restored->rows) + "); ";
            if (after.empty()) return text.empty() ? "" : text + "no rows after the backup's head";
            std::map<std::string, int> actions;
            for (const AuditEntry& e : after) ++actions[e.action];
            std::string counts;
            for (const auto& [action, count] : actions)
                counts += (counts.empty() ? "" : ", ") + std::to_string(count) + " " + action;
            return text + std::to_string(after.size()) + " audit rows after the restored head (row " +
                   std::to_string(restored->rows) + ") are lost: rows " + std::to_string(restored->rows + 1) + " to " +
                   std::to_string(restored->rows + static_cast<std::int64_t>(after.size())) + ", " + after.front().at +
                   " to " + after.back().at + " (" + counts + "; kept in the replaced copy)";
        } catch (const std::exception&) {
            // Not readable with this key (or damaged): the checkpoint is all there is to go on.
        }
    }
    try {
        if (const auto seen = detail::read_checkpoint(checkpoint_path(practice_uuid, db_path)); seen && seen->rows > restored->rows)
            return "the last checkpoint seen had " + std::to_string(seen->rows) + " audit rows (" + seen->at +
                   "): rows " + std::to_string(restored->rows + 1) + " to " + std::to_string(seen->rows) +
                   " are lost";
    } catch (const Error&) {
        // A damaged checkpoint says nothing; the restore writes a new one.
    }
    return "";
}

}  // namespace

RestoreResult restore_backup(const std::filesystem::path& from, const std::filesystem::path& db_path,
                             const std::string& person, const KeyMaterial& passphrase) {
    std::error_code ec;
    const std::filesystem::path keyring = from.string() + ".keyring";
    if (!std::filesystem::exists(keyring, ec)) {
        // A backup of a practice without personal sign-in: its passphrase opens it
        // (and nobody can sign a checkpoint of it).
        return store::restore_database(from, db_path, passphrase.view(), person.empty() ? "attune" : person, "", {},
                                       lost_rows(db_path, passphrase.view(), from, ""));
    }
    const store::Keyring backup_keyring = store::Keyring::load(keyring);
    const store::UnlockedPerson unlocked =
        backup_keyring.unlock_person(person.empty() ? std::string_view() : person, SecretString(passphrase.view()));
    const SecretString raw = store::sqlcipher_raw_key(unlocked.data_key);
    const std::string& practice_uuid = unlocked.trust_root.practice_uuid;
    // The restore's audit row is the person's, signed like every other.
    const auto signer = [&unlocked, &practice_uuid](const std::string& row_hash, const std::string& actor_uuid) {
        const std::string message = canonical_audit_row(practice_uuid, row_hash, actor_uuid);
        return crypto::to_hex(crypto::sign(crypto::as_bytes(message), unlocked.signing_key));
    };
    const std::string lost = lost_rows(db_path, raw.view(), from, practice_uuid);
    RestoreResult result = store::restore_database(from, db_path, raw.view(), unlocked.person.name,
                                                   unlocked.person.uuid, signer, lost);
    // A deliberate restore is not a rollback: the chain as restored (with the
    // restore's own row) becomes the last checkpoint seen.
    detail::write_checkpoint(checkpoint_path(practice_uuid, db_path), practice_uuid, result.audit_rows, result.audit_head,
                             {unlocked.person.uuid, &unlocked.signing_key, unlocked.public_key});
    return result;
}

void change_passphrase(OpenPractice& practice, const KeyMaterial& new_passphrase) {
    store::change_passphrase(database_of(practice), new_passphrase.view());
}

void encrypt_practice(const std::filesystem::path& db_path, const KeyMaterial& passphrase, const std::string& actor_name) {
    store::encrypt_plaintext_database(db_path, passphrase.view(), actor_name);
}

}  // namespace attune::services
