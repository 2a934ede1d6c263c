#include "store/maintenance.h"

#include "store/sqlite_access.h"

namespace attune::store {

HealthReport check_health(Database& db) {
    HealthReport report;
    SQLite::Database& sql = sql_of(db);
    try {
        SQLite::Statement integrity(sql, "PRAGMA integrity_check");
        while (integrity.executeStep()) report.integrity_messages.push_back(integrity.getColumn(0).getString());
        report.integrity_ok = report.integrity_messages.size() == 1 && report.integrity_messages[0] == "ok";
        SQLite::Statement fk(sql, "PRAGMA foreign_key_check");
        while (fk.executeStep()) ++report.foreign_key_problems;
        auto count = [&](const char* query) { return sql.execAndGet(query).getInt64(); };
        report.people = count("SELECT count(*) FROM people");
        report.cases = count("SELECT count(*) FROM cases");
        report.sessions = count("SELECT count(*) FROM sessions");
        report.observations = count("SELECT count(*) FROM observations WHERE deleted = 0");
        report.deleted_observations = count("SELECT count(*) FROM observations WHERE deleted = 1");
        report.audit_rows = count("SELECT count(*) FROM audit_log");
        report.unpaired_states_in_ended_sessions = static_cast<int>(
            count("SELECT count(*) FROM observations o JOIN sessions s ON s.id = o.session_id "
                  "WHERE s.state = 'ended' AND o.kind = 'state' AND o.stop IS NULL AND o.deleted = 0"));
    } catch (const SQLite::Exception& e) {
        report.integrity_ok = false;
        report.integrity_messages.push_back(e.what());
        return report;
    }
    report.audit = AuditLog(db).verify();
    return report;
}

}  // namespace attune::store
