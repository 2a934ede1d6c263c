// pause_rows.h: private to src/store. The one writer of session_pauses rows,
// used inside the session repository's transactions (pause, resume, end) and
// by add_pause.
#pragma once

#include <SQLiteCpp/SQLiteCpp.h>

#include "core/recordings.h"

namespace attune::store {

// Stores a pause still open: the clock stood still at `session_seconds` from
// `began_at` (Unix seconds) on. Does nothing when one is open already.
void open_pause(SQLite::Database& sql, RowId session_id, double session_seconds, double began_at, PauseOrigin origin);
// Gives the session's open pause, if any, its wall length up to `wall_now`
// (never negative: a clock set back counts as no time).
void close_open_pause(SQLite::Database& sql, RowId session_id, double wall_now);

}  // namespace attune::store
