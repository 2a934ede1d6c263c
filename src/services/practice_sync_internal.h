// practice_sync_internal.h: private to src/services. The body of one sync
// (services/practice_sync.h) on a connection of the caller's choosing: the
// practice's main one for `attune sync`, a worker's own for the window's
// background sync (services/background_sync.h), so that one implementation
// serves both.
#pragma once

#include <cstdint>
#include <set>
#include <string>

#include "core/model.h"
#include "core/practice_trust.h"
#include "services/practice_sync.h"
#include "store/database.h"

namespace attune::services::detail {

inline constexpr const char* kNoKeys = "this practice has no personal keys: it cannot sync with a practice server";

struct SyncRun {
    SyncReport report;                    // signature_problems left empty
    std::set<std::string> arrived_cases;  // uuids of the cases rows arrived for
};

// Pushes and pulls with the server at `url` as `me` (the person signed in,
// taken on the caller's thread) on `db`, and merges what arrived; stores
// `url` as the practice's server when `remember_url` and it holds no
// password. Checks no signatures (they need the practice's trust:
// sync_with_server does that on the main connection). Throws as
// sync_with_server.
// `root` is the practice's trust root as the person's own slot authenticates
// it: the server's signed log is taken only when it verifies from there.
SyncRun sync_on(store::Database& db, const Person& me, const TrustRoot& root, const std::string& url,
                bool remember_url);

// How many changes made here the practice server has not had yet ("offline:
// 14 changes waiting"): the rows the next push sends as changed since the
// last sync began (store::count_changed_since; everything before a first
// sync). Times are whole seconds, and a row another machine wrote while that
// sync ran, which it received, counts too: the count may be high by what
// moved while a sync ran, never low.
std::int64_t changes_waiting(store::Database& db);

}  // namespace attune::services::detail
