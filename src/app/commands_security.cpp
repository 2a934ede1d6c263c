// Commands that keep the health records safe: backup, restore, passphrase
// change, encrypt, and reading the audit log.
#include "app/cli.h"
#include "core/passphrase_strength.h"
#include "services/access_audit.h"
#include "services/audit.h"
#include "services/backups.h"
#include "services/maintenance.h"
#include "services/paths.h"
#include "services/people.h"

#include <iostream>

namespace attune::app {
namespace {

int cmd_backup(const Args& args) {
    const std::filesystem::path dir = args.get("out").value_or(services::default_backup_dir().string());
    const int keep = args.get_int("keep", 1, 10000).value_or(14);
    auto practice = open_from_args(args, false);
    services::BackupPolicy policy;
    policy.enabled = true;
    policy.folder = dir;
    policy.keep = keep;
    const BackupResult r = services::backup_or_throw(*practice, policy);
    std::cout << r.file.string() << "\n";
    // Said on the standard output: what the backup holds is part of its result.
    if (!r.media_note.empty()) std::cout << r.media_note << "\n";
    if (!practice->encrypted())
        std::cerr << "attune backup: warning: the database is not encrypted, so neither is its backup\n";
    for (const auto& removed : r.removed) std::cerr << "removed old backup " << removed.string() << "\n";
    return kExitOk;
}

int cmd_restore(const Args& args) {
    const std::filesystem::path from = args.require("from");
    const std::filesystem::path db = practice_path_from(args);
    const services::KeyMaterial passphrase = passphrase_from(args);
    const RestoreResult r = services::restore_backup(from, db, user_from(args), passphrase);
    std::cout << "restored " << db.string() << " from " << from.string() << "\n";
    if (!r.safety_copy.empty()) std::cout << "the replaced database is kept as " << r.safety_copy.string() << "\n";
    if (!r.lost.empty()) std::cout << "recorded in the audit trail: " << r.lost << "\n";
    return kExitOk;
}

int cmd_passphrase_change(const Args& args) {
    const services::KeyMaterial new_passphrase = secret_from(args, "new-passphrase-file", "ATTUNE_NEW_PASSPHRASE");
    if (new_passphrase.empty())
        throw UsageError("give the new passphrase with --new-passphrase-file F or $ATTUNE_NEW_PASSPHRASE");
    auto practice = open_from_args(args, false);
    services::change_own_passphrase(*practice, new_passphrase);
    std::cout << "passphrase of " << practice->person().name << " changed for " << practice->path().string()
              << "; backups made before now still open with the old one\n";
    std::cout << estimate_passphrase_strength(new_passphrase.view()).text() << "\n";
    return kExitOk;
}

int cmd_encrypt(const Args& args) {
    const std::filesystem::path db = practice_path_from(args);
    const services::KeyMaterial passphrase = passphrase_from(args);
    if (passphrase.empty()) throw UsageError("a passphrase is needed: set ATTUNE_PASSPHRASE or use --passphrase-file F");
    services::encrypt_practice(db, passphrase, user_from(args));
    std::cout << "encrypted " << db.string() << "; no unencrypted copy was kept\n";
    // Opened once now, so that it gets personal sign-in (a keyring, the recovery key
    // printed) here rather than on the first command that happens to write.
    open_from_args(args, false);
    return kExitOk;
}

int cmd_audit(const Args& args) {
    auto practice = open_from_args(args, false, true);
    AuditFilter filter;
    filter.action = args.get("action").value_or("");
    filter.entity = args.get("entity").value_or("");
    filter.limit = args.get_int("limit", 1, 1000000).value_or(100);
    const std::vector<AuditEntry> entries = services::audit_entries(*practice, filter);
    services::record_command_read(*practice, {"audit"});
    for (const AuditEntry& e : entries)
        std::cout << e.at << "\t" << e.actor << "\t" << e.action << "\t" << e.entity
                  << (e.entity_id.empty() ? "" : " " + e.entity_id) << "\t" << e.detail << "\n";
    return kExitOk;
}

}  // namespace

void register_security_commands() {
    auto& t = command_table();
    t.push_back({"backup", "[--out DIR] [--keep N]",
                 "write a verified, encrypted backup (default folder " + services::default_backup_dir().string() +
                     "), keeping the newest N (14)",
                 with_db({"out", "keep"}), with_db_flags({}), cmd_backup});
    t.push_back({"restore", "--from FILE",
                 "replace the database with a verified backup, keeping a copy of what it replaces",
                 with_db({"from"}), with_db_flags({}), cmd_restore});
    t.push_back({"passphrase change", "--new-passphrase-file F (or $ATTUNE_NEW_PASSPHRASE)",
                 "change your own passphrase (your key slot; the same signing key)", with_db({"new-passphrase-file"}),
                 with_db_flags({}), cmd_passphrase_change});
    t.push_back({"encrypt", "", "encrypt an unencrypted database in place (no plaintext copy is kept)", with_db({}),
                 with_db_flags({}), cmd_encrypt});
    t.push_back({"audit", "[--action A] [--entity E] [--limit N]",
                 "list the audit log, newest first: time, person, action, entity, detail",
                 with_db({"action", "entity", "limit"}), with_db_flags({}), cmd_audit});
}

}  // namespace attune::app
