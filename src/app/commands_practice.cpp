// The practice as a whole: `attune init` and `attune check`.
#include "app/cli.h"
#include "services/maintenance.h"

#include <iostream>

namespace attune::app {
namespace {

int cmd_init(const Args& args) {
    const bool existed = std::filesystem::exists(practice_path_from(args));
    auto practice = open_from_args(args, true);
    std::cout << (existed ? "opened " : "created ") << practice->path().string()
              << (practice->encrypted() ? " (encrypted)" : " (NOT encrypted)") << "\n";
    return kExitOk;
}

int cmd_check(const Args& args) {
    auto practice = open_from_args(args, false, true);
    const HealthReport r = services::check_health(*practice);
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
    if (r.unpaired_states_in_ended_sessions > 0)
        std::cout << "state events left open in ended sessions: " << r.unpaired_states_in_ended_sessions << "\n";
    std::cout << r.people << " people, " << r.cases << " cases, " << r.sessions << " sessions, " << r.observations
              << " observations (" << r.deleted_observations << " deleted), " << r.audit_rows << " audit rows\n";
    std::cout << (r.ok() ? "all well" : "PROBLEMS FOUND") << "\n";
    return r.ok() ? kExitOk : kExitFailed;
}

}  // namespace

void register_practice_commands() {
    auto& t = command_table();
    t.push_back({"init", "[--db F] [--no-encryption]", "create (or open) a practice database", with_db({}),
                 with_db_flags({}), cmd_init});
    t.push_back({"check", "", "check integrity and the audit chain; exit 0 only if all is well", with_db({}),
                 with_db_flags({}), cmd_check});
}

}  // namespace attune::app
