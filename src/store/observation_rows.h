// observation_rows.h: private to src/store. The one place that writes an
// observation row and checks its fields, shared by the repository (one
// observation per user action), the BORIS import and the demo writer.
#pragma once

#include "core/model.h"

#include <SQLiteCpp/SQLiteCpp.h>

#include <string>

namespace attune::store {

// 13 parameters, bound by bind_observation_insert.
extern const char* const kInsertObservationSql;
void bind_observation_insert(SQLite::Statement& insert, const Observation& o, const std::string& now);

// What is wrong with the observation's own fields (time, stop, kind, intensity,
// comment), in plain words; empty when nothing is. The code is checked by the
// caller, against the scheme it has at hand.
std::string observation_field_problem(const Observation& o);

// "A defensive_anger at 12.5 s", for audit rows and messages.
std::string describe_observation(const Observation& o);

}  // namespace attune::store
