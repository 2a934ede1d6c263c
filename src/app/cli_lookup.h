// cli_lookup.h: finding the case and session a command names.
#pragma once

#include "core/model.h"
#include "store/database.h"

#include <optional>
#include <string>

namespace attune::app {

Case require_case(store::Database& db, const std::string& label);
// Session `number`, else the case's unfinished session, else its latest one.
Session require_session(store::Database& db, const Case& c, std::optional<int> number);
// The session clock now: banked seconds, plus the running time since it resumed.
double session_clock_now(store::Database& db, const Session& s);

// Commands registered outside commands_core.cpp (metrics, import, export, ...).
void register_more_commands();

}  // namespace attune::app
