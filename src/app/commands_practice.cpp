// The practice as a whole: `attune init` and `attune check`.
#include "app/cli.h"
#include "core/passphrase_strength.h"
#include "services/access_audit.h"
#include "services/maintenance.h"

#include <iostream>

namespace attune::app {
namespace {

// A new practice prints exactly one line on stdout: its recovery key.
int cmd_init(const Args& args) {
    const bool existed = std::filesystem::exists(practice_path_from(args));
    if (!existed && !args.get("admin") && !args.has("no-encryption"))
        throw UsageError("a new practice needs its founding administrator: --admin NAME");
    auto practice = open_from_args(args, true);
    (existed ? std::cout : std::cerr) << (existed ? "opened " : "created ") << practice->path().string()
                                      << (practice->encrypted() ? " (encrypted)" : " (NOT encrypted)") << "\n";
    // The founding administrator's passphrase, as the unlock screen estimates it (stderr: stdout is the key).
    if (!existed && practice->encrypted())
        if (const services::KeyMaterial passphrase = passphrase_from(args); !passphrase.empty())
            std::cerr << estimate_passphrase_strength(passphrase.view()).text() << "\n";
    return kExitOk;
}

int cmd_check(const Args& args) {
    auto practice = open_from_args(args, false, true);
    const HealthReport r = services::check_health(*practice);
    // A check is recorded like every read; but it is what one runs on a file in
    // trouble (a full disk, a read-only copy), so an unrecorded check still reports.
    try {
        services::record_command_read(*practice, {"check"});
    } catch (const Error& e) {
        std::cerr << "attune check: warning: this check is not in the audit trail: " << e.what() << "\n";
    }
    std::cout << practice->path().string() << ": schema " << practice->schema_version() << ", "
              << (practice->encrypted() ? "encrypted (SQLCipher " + practice->cipher_version() + ")"
                                        : std::string("NOT encrypted"))
              << "\n";
    std::cout << "integrity: " << (r.integrity_ok ? "ok" : "FAILED") << "\n";
    if (!r.integrity_ok)
        for (const std::string& m : r.integrity_messages) std::cout << "  " << m << "\n";
    std::cout << "foreign keys: "
              << (r.foreign_key_problems == 0 ? "ok" : std::to_string(r.foreign_key_problems) + " problems") << "\n";
    std::cout << "audit log: " << (r.audit.ok ? "ok" : "BROKEN") << " (" << r.audit.message << ")\n";
    for (const std::string& p : r.checkpoint_problems) std::cout << "audit checkpoint: PROBLEM: " << p << "\n";
    if (r.unpaired_states_in_ended_sessions > 0)
        std::cout << "state events left open in ended sessions: " << r.unpaired_states_in_ended_sessions << "\n";
    std::cout << "signatures: "
              << (r.signature_problems.empty() ? std::to_string(r.signatures_verified) + " verified"
                                               : std::to_string(r.signature_problems.size()) + " NOT VERIFIED")
              << "\n";
    for (const std::string& p : r.signature_problems) std::cout << "  " << p << "\n";
    if (!r.trust_problems.empty()) {
        std::cout << "keys and roles: " << r.trust_problems.size() << " statements do not verify\n";
        for (const std::string& p : r.trust_problems) std::cout << "  " << p << "\n";
    }
    std::cout << r.people << " people, " << r.cases << " cases, " << r.sessions << " sessions, " << r.observations
              << " observations (" << r.deleted_observations << " deleted), " << r.audit_rows << " audit rows\n";
    std::cout << (r.ok() ? "all well" : "PROBLEMS FOUND") << "\n";
    return r.ok() ? kExitOk : kExitFailed;
}

}  // namespace

void register_practice_commands() {
    auto& t = command_table();
    t.push_back({"init", "--db F --admin NAME [--passphrase-file P] [--no-encryption]",
                 "create a practice with its founding administrator (prints its recovery key once), or open one",
                 with_db({"admin"}), with_db_flags({}), cmd_init});
    t.push_back({"check", "", "check integrity and the audit chain; exit 0 only if all is well", with_db({}),
                 with_db_flags({}), cmd_check});
}

}  // namespace attune::app
