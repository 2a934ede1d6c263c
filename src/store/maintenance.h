// maintenance.h: checking a database's health.
#pragma once

#include "store/audit_log.h"
#include "store/database.h"

#include <string>
#include <vector>

namespace attune::store {

struct HealthReport {
    bool integrity_ok = false;
    std::vector<std::string> integrity_messages;  // "ok", or what SQLite found
    int foreign_key_problems = 0;
    AuditVerification audit;
    int unpaired_states_in_ended_sessions = 0;  // state events of ended sessions with no stop
    std::int64_t people = 0, cases = 0, sessions = 0, observations = 0, deleted_observations = 0, audit_rows = 0;
    bool ok() const {
        return integrity_ok && foreign_key_problems == 0 && audit.ok && unpaired_states_in_ended_sessions == 0;
    }
};

HealthReport check_health(Database& db);

}  // namespace attune::store
