#include "store/metrics_cache.h"

#include "core/metrics_json.h"
#include "store/audit_write.h"
#include "store/practice_marks.h"
#include "store/sqlite_access.h"


namespace attune::store {
namespace {

// One row of `settings` holds the three windows as JSON.
constexpr const char* kMetricSettingsKey = "metric_settings";

void insert_row(SQLite::Database& sql, RowId session_id, const std::string& settings_json,
                const std::string& content, const std::string& now) {
    SQLite::Statement insert(sql,
                             "INSERT OR REPLACE INTO metrics_cache "
                             "(session_id, settings_json, metrics_version, computed_at, content) "
                             "VALUES (?, ?, ?, ?, ?)");
    insert.bind(1, session_id);
    insert.bind(2, settings_json);
    insert.bind(3, kMetricsVersion);
    insert.bind(4, now);
    insert.bind(5, content);
    insert.exec();
}

}  // namespace

std::optional<std::string> MetricsCache::read(RowId session_id, const std::string& settings_json) const {
    try {
        SQLite::Statement& q = db_.impl().statement(
            "SELECT content FROM metrics_cache WHERE session_id = ? AND settings_json = ? AND metrics_version = ?");
        q.bind(1, session_id);
        q.bind(2, settings_json);
        q.bind(3, kMetricsVersion);
        std::optional<std::string> out;
        if (q.executeStep()) out = q.getColumn(0).getString();
        q.reset();
        return out;
    } catch (const SQLite::Exception& e) {
        rethrow_as_store_error(e, "reading the metrics cache failed");
    }
}

void MetricsCache::write(RowId session_id, const std::string& settings_json, const std::string& content) {
    write_many({{session_id, content}}, settings_json);
}

void MetricsCache::write_many(const std::vector<Entry>& entries, const std::string& settings_json) {
    // A read-only connection (a supervisor browsing a copy) simply computes every time.
    if (entries.empty() || db_.read_only()) return;
    const std::string now = now_utc_iso();
    write_transaction(db_, [&](SQLite::Database& sql) {
        for (const Entry& e : entries) insert_row(sql, e.session_id, settings_json, e.content, now);
    }, WritesData::CacheOnly);
}

MetricSettings load_metric_settings(Database& db) {
    const std::optional<std::string> text = read_practice_setting(db, kMetricSettingsKey);
    if (!text) return MetricSettings{};
    const nlohmann::json json = nlohmann::json::parse(*text, nullptr, false);
    const std::optional<MetricSettings> settings = metric_settings_from_json(json);
    if (!settings || !metric_settings_problem(*settings).empty()) return MetricSettings{};
    return *settings;
}

void save_metric_settings(Database& db, const MetricSettings& settings) {
    const std::string problem = metric_settings_problem(settings);
    if (!problem.empty()) throw StoreError(StoreError::Kind::Invalid, problem);
    write_practice_setting(db, kMetricSettingsKey, to_json(settings).dump());
}

}  // namespace attune::store
