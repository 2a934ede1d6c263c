// case_rows.h: private to src/store. The one place that writes a case row
// (with its two participants), a session row and a person row, as
// observation_rows.h is for observations: shared by the repositories (one
// row per user action), the BORIS import and bundle merge (bulk_import) and
// the demo writer.
#pragma once

#include "core/model.h"

#include <SQLiteCpp/SQLiteCpp.h>

#include <optional>
#include <string>

namespace attune::store {

// 10 parameters: uuid, label, clinician, start date, status, goals, scheme, created, updated, supervisor (NULL for 0).
extern const char* const kInsertCaseSql;
void bind_case_insert(SQLite::Statement& insert, const Case& c, const std::string& now);

// Both partners of a stored case (c.id set), with a prepared kInsertParticipantSql.
extern const char* const kInsertParticipantSql;
void insert_participants(SQLite::Statement& insert, const Case& c);

// 17 parameters: every column of a session. `resumed_at` (Unix time) only
// for a running session; `ended_at` is `now` for an ended one.
extern const char* const kInsertSessionSql;
void bind_session_insert(SQLite::Statement& insert, const Session& s, std::optional<double> resumed_at,
                         const std::string& now);

// 5 parameters: uuid, name, role, public key (hex or empty), created.
extern const char* const kInsertPersonSql;
void bind_person_insert(SQLite::Statement& insert, const Person& p, const std::string& now);

}  // namespace attune::store
