// metrics_cache.h: computed per-session metrics kept in the database, and the
// metric settings (the three windows of DOMAIN.md) kept in `settings`.
//
// The cache stores opaque text (the caller's serialised SessionMetrics) keyed
// by session, settings and metrics version. Triggers of migration 2 drop a
// session's row whenever its observations, active time, scheme or case
// clinician change, so whatever read() returns is still valid.
#pragma once

#include "core/metrics.h"
#include "store/database.h"

#include <optional>
#include <string>
#include <vector>

namespace attune::store {

class MetricsCache {
public:
    explicit MetricsCache(Database& db) : db_(db) {}

    // The cached content of a session, if it was computed with exactly these
    // settings (compared as serialised text) and the current metrics version.
    std::optional<std::string> read(RowId session_id, const std::string& settings_json) const;

    // Stores one session's result (replacing any older row). Not a user
    // action, so no audit row; a read-only database silently keeps no cache.
    void write(RowId session_id, const std::string& settings_json, const std::string& content);

    struct Entry {
        RowId session_id = 0;
        std::string content;
    };
    // Several sessions in one transaction (one fsync for a whole case).
    void write_many(const std::vector<Entry>& entries, const std::string& settings_json);

private:
    Database& db_;
};

// The stored settings; DOMAIN.md's defaults when none are stored (or a stored
// value is unreadable, which only a hand-edited database can produce).
MetricSettings load_metric_settings(Database& db);
// Throws StoreError Invalid for a window out of range (core/metrics.h's rule). Audited: a user action.
void save_metric_settings(Database& db, const MetricSettings& settings);

}  // namespace attune::store
