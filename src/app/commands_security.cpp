// Commands that keep the health records safe: backup, restore, passphrase
// change, encrypt, and reading the audit log.
#include "app/cli.h"
#include "io/paths.h"
#include "io/session_backup.h"
#include "store/audit_log.h"
#include "store/backup.h"
#include "store/security.h"

#include <fstream>
#include <iostream>

namespace attune::app {
namespace {

using store::StoreError;


std::filesystem::path db_path_from(const Args& args) {
    return args.get("db").value_or(io::default_database_path().string());
}

// The first line of a file, like --passphrase-file.
std::string first_line_of(const std::string& file) {
    std::ifstream in(file);
    if (!in) throw UsageError("cannot read " + file);
    std::string line;
    std::getline(in, line);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) throw UsageError(file + " is empty");
    return line;
}

int cmd_backup(const Args& args) {
    io::Practice practice = open_from_args(args, false);
    const std::filesystem::path dir = args.get("out").value_or(io::default_backup_dir().string());
    const int keep = args.get_int("keep", 1, 10000).value_or(14);
    const store::BackupResult r = store::backup_database(*practice.db, dir, keep);
    std::cout << r.file.string() << "\n";
    if (!practice.db->encrypted())
        std::cerr << "attune backup: warning: the database is not encrypted, so neither is its backup\n";
    for (const auto& removed : r.removed) std::cerr << "removed old backup " << removed.string() << "\n";
    return kExitOk;
}

int cmd_restore(const Args& args) {
    const std::filesystem::path from = args.require("from");
    const std::filesystem::path db = db_path_from(args);
    const std::string passphrase = passphrase_from(args).value_or("");
    const store::RestoreResult r =
        store::restore_database(from, db, passphrase, args.get("user").value_or(io::default_user_name()));
    std::cout << "restored " << db.string() << " from " << from.string() << "\n";
    if (!r.safety_copy.empty()) std::cout << "the replaced database is kept as " << r.safety_copy.string() << "\n";
    return kExitOk;
}

int cmd_passphrase_change(const Args& args) {
    std::string new_passphrase;
    if (auto file = args.get("new-passphrase-file")) {
        new_passphrase = first_line_of(*file);
    } else if (const char* env = std::getenv("ATTUNE_NEW_PASSPHRASE"); env && *env) {
        new_passphrase = env;
    } else {
        throw UsageError("give the new passphrase with --new-passphrase-file F or $ATTUNE_NEW_PASSPHRASE");
    }
    io::Practice practice = open_from_args(args, false);
    store::change_passphrase(*practice.db, new_passphrase);
    std::cout << "passphrase changed for " << practice.db->path().string()
              << "; backups made before now still open with the old passphrase\n";
    return kExitOk;
}

int cmd_encrypt(const Args& args) {
    const std::filesystem::path db = db_path_from(args);
    const auto passphrase = passphrase_from(args);
    if (!passphrase) throw UsageError("a passphrase is needed: set ATTUNE_PASSPHRASE or use --passphrase-file F");
    store::encrypt_plaintext_database(db, *passphrase, args.get("user").value_or(io::default_user_name()));
    std::cout << "encrypted " << db.string() << "; no unencrypted copy was kept\n";
    return kExitOk;
}

int cmd_audit(const Args& args) {
    io::Practice practice = open_from_args(args, false, true);
    store::AuditFilter filter;
    filter.action = args.get("action").value_or("");
    filter.entity = args.get("entity").value_or("");
    filter.limit = args.get_int("limit", 1, 1000000).value_or(100);
    for (const store::AuditEntry& e : store::AuditLog(*practice.db).list(filter))
        std::cout << e.at << "\t" << e.actor << "\t" << e.action << "\t" << e.entity
                  << (e.entity_id.empty() ? "" : " " + e.entity_id) << "\t" << e.detail << "\n";
    return kExitOk;
}

}  // namespace

void register_security_commands() {
    auto& t = command_table();
    t.push_back({"backup", "[--out DIR] [--keep N]",
                 "write a verified, encrypted backup (default folder " + io::default_backup_dir().string() +
                     "), keeping the newest N (14)",
                 with_db({"out", "keep"}), with_db_flags({}), cmd_backup});
    t.push_back({"restore", "--from FILE",
                 "replace the database with a verified backup, keeping a copy of what it replaces",
                 with_db({"from"}), with_db_flags({}), cmd_restore});
    t.push_back({"passphrase change", "--new-passphrase-file F (or $ATTUNE_NEW_PASSPHRASE)",
                 "re-encrypt the database under a new passphrase", with_db({"new-passphrase-file"}),
                 with_db_flags({}), cmd_passphrase_change});
    t.push_back({"encrypt", "", "encrypt an unencrypted database in place (no plaintext copy is kept)", with_db({}),
                 with_db_flags({}), cmd_encrypt});
    t.push_back({"audit", "[--action A] [--entity E] [--limit N]",
                 "list the audit log, newest first: time, person, action, entity, detail",
                 with_db({"action", "entity", "limit"}), with_db_flags({}), cmd_audit});
}

}  // namespace attune::app
