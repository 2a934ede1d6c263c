#include "core/metrics_json.h"

namespace attune {
namespace {

using nlohmann::json;

json optional_number(const std::optional<double>& value) { return value ? json(*value) : json(nullptr); }

json rupture_counts_json(const RuptureCounts& counts) {
    json out = json::object();
    for (const auto& [category, count] : counts.by_category) out[category] = count;
    out["total"] = counts.total;
    return out;
}

// The export body without number and date; shared by the export and the cache.
json session_body(const SessionMetrics& m) {
    json out;
    out["active_minutes"] = m.active_minutes;
    out["ruptures"] = {{"A", rupture_counts_json(m.ruptures_a)},
                       {"B", rupture_counts_json(m.ruptures_b)},
                       {"both", rupture_counts_json(m.ruptures_both)},
                       {"total", m.rupture_total}};
    out["rupture_rate_per_10min"] = optional_number(m.rupture_rate_per_10min);
    out["repairs"] = m.repairs;
    out["pos_neg_ratio"] = optional_number(m.pos_neg_ratio);
    out["repair_rate"] = optional_number(m.repair_rate);
    out["median_time_to_repair_s"] = optional_number(m.median_time_to_repair_s);
    out["signals"] = m.signals;
    out["answer_rate"] = optional_number(m.answer_rate);
    out["pursue_withdraw"] = {{"A_to_B", m.pursue_withdraw_a_to_b}, {"B_to_A", m.pursue_withdraw_b_to_a}};
    out["time_withdrawn_s"] = {{"A", m.time_withdrawn_a_s}, {"B", m.time_withdrawn_b_s}};
    json moves = json::object();
    for (const auto& [code, count] : m.therapist_moves) moves[code] = count;
    out["therapist_moves"] = moves;
    return out;
}

// Readers for the cache: each returns false when the key is missing or of the wrong type.
bool read_number(const json& j, const char* key, double& out) {
    const auto it = j.find(key);
    if (it == j.end() || !it->is_number()) return false;
    out = it->get<double>();
    return true;
}

bool read_count(const json& j, const char* key, int& out) {
    const auto it = j.find(key);
    if (it == j.end() || !it->is_number_integer()) return false;
    out = it->get<int>();
    return true;
}

bool read_optional(const json& j, const char* key, std::optional<double>& out) {
    const auto it = j.find(key);
    if (it == j.end()) return false;
    if (it->is_null()) {
        out.reset();
        return true;
    }
    if (!it->is_number()) return false;
    out = it->get<double>();
    return true;
}

bool read_rupture_counts(const json& j, const char* key, RuptureCounts& out) {
    const auto it = j.find(key);
    if (it == j.end() || !it->is_object()) return false;
    for (const auto& [name, value] : it->items()) {
        if (!value.is_number_integer()) return false;
        if (name == "total")
            out.total = value.get<int>();
        else
            out.by_category[name] = value.get<int>();
    }
    return it->contains("total");
}

}  // namespace

json to_json(const MetricSettings& settings) {
    return {{"repair_window_s", settings.repair_window_s},
            {"cycle_window_s", settings.cycle_window_s},
            {"answer_window_s", settings.answer_window_s},
            {"min_active_minutes", settings.min_active_minutes}};
}

std::optional<MetricSettings> metric_settings_from_json(const json& j) {
    MetricSettings settings;
    if (!read_number(j, "repair_window_s", settings.repair_window_s) ||
        !read_number(j, "cycle_window_s", settings.cycle_window_s) ||
        !read_number(j, "answer_window_s", settings.answer_window_s))
        return std::nullopt;
    // M came with version 2 of the definitions: settings stored before it keep the default.
    if (j.contains("min_active_minutes") && !read_number(j, "min_active_minutes", settings.min_active_minutes))
        return std::nullopt;
    if (!metric_settings_problem(settings).empty()) return std::nullopt;  // the one rule (core/metrics.h)
    return settings;
}

std::string metrics_cache_key(const MetricSettings& settings) {
    json key = to_json(settings);
    key.erase("min_active_minutes");
    return key.dump();
}

json to_json(const SessionMetrics& metrics, int number, std::string_view date) {
    json out = session_body(metrics);
    out["number"] = number;
    out["date"] = std::string(date);
    return out;
}

json to_json(const CaseTrends& trends) {
    return {{"repair_rate", optional_number(trends.repair_rate)},
            {"rupture_rate_per_10min", optional_number(trends.rupture_rate_per_10min)},
            {"pos_neg_ratio", optional_number(trends.pos_neg_ratio)},
            {"median_time_to_repair_s", optional_number(trends.median_time_to_repair_s)},
            {"answer_rate", optional_number(trends.answer_rate)}};
}

json to_cache_json(const SessionMetrics& metrics) {
    json out = session_body(metrics);
    out["metrics_version"] = kMetricsVersion;
    out["settings"] = to_json(metrics.settings);
    out["repaired_ruptures"] = metrics.repaired_ruptures;
    out["answered_signals"] = metrics.answered_signals;
    return out;
}

std::string to_cache_text(const SessionMetrics& metrics) { return to_cache_json(metrics).dump(); }

std::optional<SessionMetrics> session_metrics_from_cache_json(const json& j) {
    int version = 0;
    if (!j.is_object() || !read_count(j, "metrics_version", version) || version != kMetricsVersion)
        return std::nullopt;
    SessionMetrics m;
    const auto settings = metric_settings_from_json(j.value("settings", json::object()));
    if (!settings) return std::nullopt;
    m.settings = *settings;

    const json ruptures = j.value("ruptures", json::object());
    const json pursue_withdraw = j.value("pursue_withdraw", json::object());
    const json withdrawn = j.value("time_withdrawn_s", json::object());
    const bool complete =
        read_number(j, "active_minutes", m.active_minutes) && read_rupture_counts(ruptures, "A", m.ruptures_a) &&
        read_rupture_counts(ruptures, "B", m.ruptures_b) && read_rupture_counts(ruptures, "both", m.ruptures_both) &&
        read_count(ruptures, "total", m.rupture_total) &&
        read_optional(j, "rupture_rate_per_10min", m.rupture_rate_per_10min) && read_count(j, "repairs", m.repairs) &&
        read_optional(j, "pos_neg_ratio", m.pos_neg_ratio) &&
        read_count(j, "repaired_ruptures", m.repaired_ruptures) && read_optional(j, "repair_rate", m.repair_rate) &&
        read_optional(j, "median_time_to_repair_s", m.median_time_to_repair_s) &&
        read_count(j, "signals", m.signals) && read_count(j, "answered_signals", m.answered_signals) &&
        read_optional(j, "answer_rate", m.answer_rate) &&
        read_count(pursue_withdraw, "A_to_B", m.pursue_withdraw_a_to_b) &&
        read_count(pursue_withdraw, "B_to_A", m.pursue_withdraw_b_to_a) &&
        read_number(withdrawn, "A", m.time_withdrawn_a_s) && read_number(withdrawn, "B", m.time_withdrawn_b_s);
    if (!complete) return std::nullopt;

    const auto moves = j.find("therapist_moves");
    if (moves == j.end() || !moves->is_object()) return std::nullopt;
    for (const auto& [code, count] : moves->items()) {
        if (!count.is_number_integer()) return std::nullopt;
        m.therapist_moves[code] = count.get<int>();
    }
    return m;
}

std::optional<SessionMetrics> session_metrics_from_cache_text(std::string_view text) {
    // No exceptions: a damaged cache is simply recomputed.
    const json j = json::parse(text.begin(), text.end(), nullptr, false);
    if (j.is_discarded()) return std::nullopt;
    return session_metrics_from_cache_json(j);
}

}  // namespace attune
